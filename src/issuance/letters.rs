//! Letters of gratitude: every supervisor named in a competition's results gets one letter naming
//! all their pupils, awarded or not — a methodist thanks a teacher for preparing participants, and
//! the letter travels with every pupil's paper in the supervisor's message. One person however
//! their name is spaced (`entry::supervisor_key`); written as the first row writes it.

use crate::db::entries::Pupil;
use crate::domain::entry::supervisor_key;

/// One supervisor's letter, before it has a serial.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    pub key: String,
    pub supervisor: String,
    pub pupils: Vec<String>,
    /// The pupils' school or region, when all of them share it.
    pub school: Option<String>,
    pub region: Option<String>,
}

/// The letters a competition's pupils make, in the order their supervisors first appear.
pub fn group(pupils: Vec<Pupil>) -> Vec<Letter> {
    let mut letters: Vec<Letter> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = Default::default();
    for pupil in pupils {
        let Some(key) = supervisor_key(&pupil.supervisor) else {
            continue;
        };
        let index = *at.entry(key.clone()).or_insert_with(|| {
            letters.push(Letter {
                key,
                supervisor: pupil.supervisor.clone(),
                pupils: Vec::new(),
                school: pupil.school.clone(),
                region: pupil.region.clone(),
            });
            letters.len() - 1
        });
        let letter = &mut letters[index];
        // A pupil in two nominations is thanked for once.
        if !letter.pupils.contains(&pupil.holder) {
            letter.pupils.push(pupil.holder);
        }
        if letter.school != pupil.school {
            letter.school = None;
        }
        if letter.region != pupil.region {
            letter.region = None;
        }
    }
    letters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pupil(supervisor: &str, holder: &str, school: &str) -> Pupil {
        Pupil {
            supervisor: supervisor.into(),
            holder: holder.into(),
            school: Some(school.into()),
            region: Some("Павлодарская область".into()),
        }
    }

    #[test]
    fn one_letter_per_supervisor_naming_each_pupil_once() {
        let letters = group(vec![
            pupil("Ахметова Г.С.", "Сейтқали Айгерім", "СОШ №12"),
            pupil("Ким О.В.", "Иванов Пётр", "Лицей №5"),
            pupil("Ахметова  Г. С.", "Әбілқайыров Ерасыл", "СОШ №12"),
            pupil("Ахметова Г.С.", "Сейтқали Айгерім", "СОШ №12"),
            pupil("Ким О.В.", "Петрова Анна", "Гимназия №1"),
        ]);
        assert_eq!(letters.len(), 2);
        assert_eq!(letters[0].supervisor, "Ахметова Г.С.");
        assert_eq!(letters[0].pupils, ["Сейтқали Айгерім", "Әбілқайыров Ерасыл"]);
        assert_eq!(letters[0].school.as_deref(), Some("СОШ №12"));
        assert_eq!(letters[1].pupils, ["Иванов Пётр", "Петрова Анна"]);
        assert_eq!(letters[1].school, None, "two schools: none printed");
        assert_eq!(letters[1].region.as_deref(), Some("Павлодарская область"));
    }
}
