//! The fixed words printed on a paper, in its language.

use crate::domain::time::{format_date_dotted, parse_date};
use crate::domain::Award;
use crate::i18n::Lang;

pub struct Words {
    lang: Lang,
    pub diploma: &'static str,
    pub certificate: &'static str,
    pub participation: &'static str,
    pub awarded_to: &'static str,
    pub presented_to: &'static str,
    pub nomination: &'static str,
    pub age_group: &'static str,
    pub supervisor: &'static str,
    pub director: &'static str,
    pub verify_caption: &'static str,
}

impl Words {
    pub fn of(lang: Lang) -> Words {
        match lang {
            Lang::Kk => Words {
                lang,
                diploma: "ДИПЛОМ",
                certificate: "СЕРТИФИКАТ",
                participation: "қатысушы",
                awarded_to: "марапатталады",
                presented_to: "беріледі",
                nomination: "Аталым",
                age_group: "Жас санаты",
                supervisor: "Жетекшісі",
                director: "Директор",
                verify_caption: "Түпнұсқалығын тексеру:",
            },
            Lang::Ru => Words {
                lang,
                diploma: "ДИПЛОМ",
                certificate: "СЕРТИФИКАТ",
                participation: "участника",
                awarded_to: "награждается",
                presented_to: "выдан",
                nomination: "Номинация",
                age_group: "Возрастная категория",
                supervisor: "Руководитель",
                director: "Директор",
                verify_caption: "Проверка подлинности:",
            },
            Lang::En => Words {
                lang,
                diploma: "DIPLOMA",
                certificate: "CERTIFICATE",
                participation: "of participation",
                awarded_to: "is awarded to",
                presented_to: "is presented to",
                nomination: "Nomination",
                age_group: "Age group",
                supervisor: "Supervisor",
                director: "Director",
                verify_caption: "Verify at:",
            },
        }
    }

    /// The line under "DIPLOMA": which award it is.
    pub fn award_line(&self, award: Award) -> String {
        const ROMAN: [&str; 4] = ["", "I", "II", "III"];
        match (award, self.lang) {
            (Award::Degree(n), Lang::Kk) => format!("{} ДӘРЕЖЕЛІ", ROMAN[n as usize]),
            (Award::Degree(n), Lang::Ru) => format!("{} СТЕПЕНИ", ROMAN[n as usize]),
            (Award::Degree(n), Lang::En) => format!("OF THE {} DEGREE", ROMAN[n as usize]),
            (Award::Laureate, Lang::Kk) => "ЛАУРЕАТ".into(),
            (Award::Laureate, Lang::Ru) => "ЛАУРЕАТА".into(),
            (Award::Laureate, Lang::En) => "LAUREATE".into(),
            (other, lang) => other.title(lang).to_uppercase(),
        }
    }

    /// The lead-in before the competition's title.
    pub fn for_competition(&self, award: Award) -> &'static str {
        match (award, self.lang) {
            (Award::Participant, Lang::Kk) => "байқауға қатысқаны үшін",
            (Award::Participant, Lang::Ru) => "за участие в конкурсе",
            (Award::Participant, Lang::En) => "for taking part in",
            (_, Lang::Kk) => "байқаудағы жетістігі үшін",
            (_, Lang::Ru) => "за успешное выступление в конкурсе",
            (_, Lang::En) => "for achievement in",
        }
    }

    pub fn date(&self, iso: &str) -> String {
        parse_date(iso).map_or_else(|| iso.to_string(), format_date_dotted)
    }
}
