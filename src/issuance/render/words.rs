//! The fixed words printed on a paper, in its language.

use crate::domain::time::{format_date_dotted, parse_date};
use crate::domain::{Award, PaperEvent};
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
    /// A letter of gratitude's title, and what it says before the supervisor's name.
    pub letter: &'static str,
    pub letter_lead_in: &'static str,
    pub pupils: &'static str,
    /// A course certificate's line under "CERTIFICATE".
    pub course_line: &'static str,
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
                letter: "АЛҒЫС ХАТ",
                letter_lead_in: "марапатталады",
                pupils: "Дайындаған оқушылары",
                course_line: "КУРСТЫ АЯҚТАҒАНЫ ТУРАЛЫ",
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
                letter: "БЛАГОДАРСТВЕННОЕ ПИСЬМО",
                letter_lead_in: "награждается",
                pupils: "Подготовленные участники",
                course_line: "О ПРОХОЖДЕНИИ КУРСА",
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
                letter: "LETTER OF GRATITUDE",
                letter_lead_in: "is presented to",
                pupils: "Pupils prepared",
                course_line: "OF COURSE COMPLETION",
            },
        }
    }

    /// The line under "DIPLOMA": which award it is, as the title's complement: «ДИПЛОМ ПРИЗЁРА»,
    /// «ДИПЛОМ ЛАУРЕАТА I СТЕПЕНИ», «I ДӘРЕЖЕЛІ ЛАУРЕАТ».
    pub fn award_line(&self, award: Award) -> String {
        const ROMAN: [&str; 4] = ["", "I", "II", "III"];
        let roman = |n: u8| ROMAN[usize::from(n.min(3))];
        match (award, self.lang) {
            (Award::Degree(n), Lang::Kk) => format!("{} ДӘРЕЖЕЛІ", roman(n)),
            (Award::Degree(n), Lang::Ru) => format!("{} СТЕПЕНИ", roman(n)),
            (Award::Degree(n), Lang::En) => format!("OF THE {} DEGREE", roman(n)),
            (Award::Laureate, Lang::Kk) => "ЛАУРЕАТ".into(),
            (Award::Laureate, Lang::Ru) => "ЛАУРЕАТА".into(),
            (Award::Laureate, Lang::En) => "LAUREATE".into(),
            (Award::LaureateDegree(n), Lang::Kk) => format!("{} ДӘРЕЖЕЛІ ЛАУРЕАТ", roman(n)),
            (Award::LaureateDegree(n), Lang::Ru) => format!("ЛАУРЕАТА {} СТЕПЕНИ", roman(n)),
            (Award::LaureateDegree(n), Lang::En) => format!("LAUREATE OF THE {} DEGREE", roman(n)),
            (Award::Diplomant, Lang::Kk) => "ДИПЛОМАНТ".into(),
            (Award::Diplomant, Lang::Ru) => "ДИПЛОМАНТА".into(),
            (Award::Diplomant, Lang::En) => "DIPLOMANT".into(),
            (Award::DiplomantDegree(n), Lang::Kk) => format!("{} ДӘРЕЖЕЛІ ДИПЛОМАНТ", roman(n)),
            (Award::DiplomantDegree(n), Lang::Ru) => format!("ДИПЛОМАНТА {} СТЕПЕНИ", roman(n)),
            (Award::DiplomantDegree(n), Lang::En) => format!("DIPLOMANT OF THE {} DEGREE", roman(n)),
            (Award::Winner, Lang::Kk) => "ЖЕҢІМПАЗ".into(),
            (Award::Winner, Lang::Ru) => "ПОБЕДИТЕЛЯ".into(),
            (Award::Winner, Lang::En) => "WINNER".into(),
            (Award::PrizeWinner, Lang::Kk) => "ЖҮЛДЕГЕР".into(),
            (Award::PrizeWinner, Lang::Ru) => "ПРИЗЁРА".into(),
            (Award::PrizeWinner, Lang::En) => "PRIZE-WINNER".into(),
            (Award::Finalist, Lang::Ru) => "ФИНАЛИСТА".into(),
            (other, lang) => other.title(lang).to_uppercase(),
        }
    }

    /// The lead-in before the competition's title.
    pub fn for_competition(&self, award: Award) -> &'static str {
        match (award, self.lang) {
            (Award::Letter, Lang::Kk) => "оқушыларды байқауға дайындағаны үшін",
            (Award::Letter, Lang::Ru) => "за подготовку участников конкурса",
            (Award::Letter, Lang::En) => "for preparing participants of",
            // Kazakh puts the verb after the course's title: the hours line says it.
            (Award::Course, Lang::Kk) => "",
            (Award::Course, Lang::Ru) => "прошёл(ла) обучение по курсу",
            (Award::Course, Lang::En) => "has completed the course",
            (Award::Participant, Lang::Kk) => "байқауға қатысқаны үшін",
            (Award::Participant, Lang::Ru) => "за участие в конкурсе",
            (Award::Participant, Lang::En) => "for taking part in",
            (_, Lang::Kk) => "байқаудағы жетістігі үшін",
            (_, Lang::Ru) => "за успешное выступление в конкурсе",
            (_, Lang::En) => "for achievement in",
        }
    }

    /// A number of academic hours as it is counted: "1 академический час", "2 академических часа",
    /// "5 академических часов"; Kazakh keeps the noun singular after a number.
    pub fn hours(&self, n: u32) -> String {
        match self.lang {
            Lang::Kk => format!("{n} академиялық сағат"),
            Lang::Ru => {
                let noun = match (n % 10, n % 100) {
                    (1, h) if h != 11 => "академический час",
                    (2..=4, h) if !(12..=14).contains(&h) => "академических часа",
                    _ => "академических часов",
                };
                format!("{n} {noun}")
            }
            Lang::En if n == 1 => "1 academic hour".into(),
            Lang::En => format!("{n} academic hours"),
        }
    }

    /// The course certificate's line after the course's title: "в объёме 72 академических часов"
    /// (the genitive after "в объёме": 1, 21, 101 take "академического часа"), "(72 academic
    /// hours)", and in Kazakh the whole predicate, "курсы бойынша 72 академиялық сағат көлемінде
    /// оқудан өтті", which is there without hours too.
    pub fn hours_line(&self, hours: Option<u32>) -> Option<String> {
        match (self.lang, hours) {
            (Lang::Kk, Some(n)) => Some(format!("курсы бойынша {} көлемінде оқудан өтті", self.hours(n))),
            (Lang::Kk, None) => Some("курсы бойынша оқудан өтті".into()),
            (Lang::Ru, Some(n)) if n % 10 == 1 && n % 100 != 11 => {
                Some(format!("в объёме {n} академического часа"))
            }
            (Lang::Ru, Some(n)) => Some(format!("в объёме {n} академических часов")),
            (Lang::En, Some(n)) => Some(format!("({})", self.hours(n))),
            (_, None) => None,
        }
    }

    /// A jury member's letter: the reason, and the label of the number of works they reviewed.
    pub fn jury_reason(&self) -> &'static str {
        match self.lang {
            Lang::Kk => "байқаудың қазылар алқасындағы жұмысы үшін",
            Lang::Ru => "за работу в составе жюри конкурса",
            Lang::En => "for the work on the jury of",
        }
    }

    pub fn reviewed(&self) -> &'static str {
        match self.lang {
            Lang::Kk => "Қаралған жұмыстар саны",
            Lang::Ru => "Рассмотрено работ",
            Lang::En => "Works reviewed",
        }
    }

    /// A certificate of attending a seminar or webinar: «за участие в семинаре».
    pub fn event_reason(&self, event: PaperEvent) -> &'static str {
        match (event, self.lang) {
            (PaperEvent::Seminar, Lang::Kk) => "семинарға қатысқаны үшін",
            (PaperEvent::Seminar, Lang::Ru) => "за участие в семинаре",
            (PaperEvent::Seminar, Lang::En) => "for taking part in the seminar",
            (PaperEvent::Webinar, Lang::Kk) => "вебинарға қатысқаны үшін",
            (PaperEvent::Webinar, Lang::Ru) => "за участие в вебинаре",
            (PaperEvent::Webinar, Lang::En) => "for taking part in the webinar",
        }
    }

    /// The hours of a seminar or webinar after its title: "в объёме 6 академических часов".
    pub fn event_hours_line(&self, hours: u32) -> String {
        match self.lang {
            Lang::Kk => format!("{} көлемінде", self.hours(hours)),
            Lang::Ru => self.hours_line(Some(hours)).unwrap_or_default(),
            Lang::En => format!("({})", self.hours(hours)),
        }
    }

    /// A team member's own paper: the team they were part of, «в составе команды «…»».
    pub fn member_of(&self, team: &str) -> String {
        let quoted = if team.starts_with(['«', '"', '“']) {
            team.to_string()
        } else {
            format!("«{team}»")
        };
        match self.lang {
            Lang::Kk => format!("{quoted} командасының құрамында"),
            Lang::Ru => format!("в составе команды {quoted}"),
            Lang::En => format!("member of the team {quoted}"),
        }
    }

    pub fn date(&self, iso: &str) -> String {
        parse_date(iso).map_or_else(|| iso.to_string(), format_date_dotted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_take_the_plural_their_number_asks_for() {
        let ru = Words::of(Lang::Ru);
        let counted: Vec<String> = [1, 2, 5, 11, 12, 21, 22, 25, 72, 101, 111, 144]
            .map(|n| ru.hours(n))
            .to_vec();
        assert_eq!(
            counted,
            [
                "1 академический час",
                "2 академических часа",
                "5 академических часов",
                "11 академических часов",
                "12 академических часов",
                "21 академический час",
                "22 академических часа",
                "25 академических часов",
                "72 академических часа",
                "101 академический час",
                "111 академических часов",
                "144 академических часа",
            ]
        );
        let line = |words: &Words, n| words.hours_line(Some(n)).unwrap();
        assert_eq!(line(&ru, 72), "в объёме 72 академических часов");
        assert_eq!(line(&ru, 1), "в объёме 1 академического часа");
        assert_eq!(line(&ru, 11), "в объёме 11 академических часов");
        assert_eq!(line(&ru, 2), "в объёме 2 академических часов");
        assert_eq!(ru.hours_line(None), None);
        let kk = Words::of(Lang::Kk);
        assert_eq!(kk.hours(1), "1 академиялық сағат");
        assert_eq!(
            line(&kk, 72),
            "курсы бойынша 72 академиялық сағат көлемінде оқудан өтті"
        );
        assert_eq!(kk.hours_line(None).as_deref(), Some("курсы бойынша оқудан өтті"));
        let en = Words::of(Lang::En);
        assert_eq!(en.hours(1), "1 academic hour");
        assert_eq!(line(&en, 72), "(72 academic hours)");
        assert_eq!(ru.event_hours_line(6), "в объёме 6 академических часов");
        assert_eq!(kk.event_hours_line(6), "6 академиялық сағат көлемінде");
        assert_eq!(en.event_hours_line(1), "(1 academic hour)");
        assert_eq!(
            ru.member_of("Школьный парламент"),
            "в составе команды «Школьный парламент»"
        );
    }
}
