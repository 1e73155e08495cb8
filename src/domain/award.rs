//! The award an entry receives decides which paper it gets.

use std::fmt;

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Award {
    GrandPrix,
    /// 1st to 3rd place.
    Place(u8),
    /// Diploma of I to III degree.
    Degree(u8),
    Laureate,
    Participant,
    /// A letter of gratitude to a supervisor, naming their pupils: never an entry's award, it is
    /// what an issue run gives each supervisor.
    Letter,
    /// Completed a course (a competition of kind `course`), with its hours.
    Course,
}

/// Which paper an award is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Diploma,
    Certificate,
    Letter,
    Course,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Diploma => "diploma",
            DocumentKind::Certificate => "certificate",
            DocumentKind::Letter => "letter",
            DocumentKind::Course => "course",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentKind> {
        match text {
            "diploma" => Some(DocumentKind::Diploma),
            "certificate" => Some(DocumentKind::Certificate),
            "letter" => Some(DocumentKind::Letter),
            "course" => Some(DocumentKind::Course),
            _ => None,
        }
    }

    /// The kind of paper as a person calls it, for lists and the verification page.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DocumentKind::Diploma, Lang::Kk) => "Диплом",
            (DocumentKind::Diploma, Lang::Ru) => "Диплом",
            (DocumentKind::Diploma, Lang::En) => "Diploma",
            (DocumentKind::Certificate, Lang::Kk) => "Қатысушы сертификаты",
            (DocumentKind::Certificate, Lang::Ru) => "Сертификат участника",
            (DocumentKind::Certificate, Lang::En) => "Certificate of participation",
            (DocumentKind::Letter, Lang::Kk) => "Алғыс хат",
            (DocumentKind::Letter, Lang::Ru) => "Благодарственное письмо",
            (DocumentKind::Letter, Lang::En) => "Letter of gratitude",
            (DocumentKind::Course, Lang::Kk) => "Курс сертификаты",
            (DocumentKind::Course, Lang::Ru) => "Сертификат курса",
            (DocumentKind::Course, Lang::En) => "Course certificate",
        }
    }
}

const ROMAN: [&str; 4] = ["", "I", "II", "III"];

impl Award {
    pub const ALL: [Award; 11] = [
        Award::GrandPrix,
        Award::Place(1),
        Award::Place(2),
        Award::Place(3),
        Award::Degree(1),
        Award::Degree(2),
        Award::Degree(3),
        Award::Laureate,
        Award::Participant,
        Award::Letter,
        Award::Course,
    ];

    /// Reads what organizers write in the award column, in Russian, Kazakh or English.
    pub fn parse(text: &str) -> Option<Award> {
        let lower = text.trim().to_lowercase();
        let cleaned: String = lower
            .chars()
            .map(|c| if c.is_alphanumeric() || c == '-' { c } else { ' ' })
            .collect();
        let words: Vec<&str> = cleaned.split_whitespace().collect();
        if words.is_empty() {
            return Some(Award::Participant);
        }
        let has = |w: &str| words.iter().any(|x| x.starts_with(w));
        let joined = words.join(" ");
        if joined.contains("гран-при")
            || joined.contains("гран при")
            || joined.contains("бас жүлде")
            || joined.contains("grand prix")
            || joined.contains("grand-prix")
        {
            return Some(Award::GrandPrix);
        }
        if has("победител") || has("жеңімпаз") || has("winner") {
            return Some(Award::Place(1));
        }
        let rank = words.iter().flat_map(|w| w.split('-')).find_map(rank_of);
        // "Лауреат I степени" is a degree; a laureate without one is a laureate.
        let degree = has("степен") || has("дәреже") || has("degree");
        if let (Some(rank), true) = (rank, degree) {
            return Some(Award::Degree(rank));
        }
        if has("лауреат") || has("laureate") {
            return Some(Award::Laureate);
        }
        if has("участ") || has("қатысу") || has("participa") || has("сертификат") {
            return Some(Award::Participant);
        }
        let rank = rank?;
        if words.len() == 1 || has("мест") || has("орын") || has("place") {
            Some(Award::Place(rank))
        } else {
            None
        }
    }

    /// "Призёр" says the entry placed, not where: only the organizer can tell 2nd from 3rd.
    pub fn needs_place(text: &str) -> bool {
        let lower = text.to_lowercase();
        [
            "призёр",
            "призер",
            "жүлдегер",
            "runner-up",
            "prize winner",
            "prizewinner",
        ]
        .iter()
        .any(|w| lower.contains(w))
    }

    pub fn code(self) -> String {
        match self {
            Award::GrandPrix => "grand_prix".into(),
            Award::Place(n) => format!("place_{n}"),
            Award::Degree(n) => format!("degree_{n}"),
            Award::Laureate => "laureate".into(),
            Award::Participant => "participant".into(),
            Award::Letter => "letter".into(),
            Award::Course => "course".into(),
        }
    }

    pub fn from_code(code: &str) -> Option<Award> {
        match code {
            "grand_prix" => Some(Award::GrandPrix),
            "laureate" => Some(Award::Laureate),
            "participant" => Some(Award::Participant),
            "letter" => Some(Award::Letter),
            "course" => Some(Award::Course),
            _ => {
                let (kind, n) = code.split_once('_')?;
                let n: u8 = n.parse().ok().filter(|n| (1..=3).contains(n))?;
                match kind {
                    "place" => Some(Award::Place(n)),
                    "degree" => Some(Award::Degree(n)),
                    _ => None,
                }
            }
        }
    }

    /// The award's number in the signed record: 1–3 places, 11–13 degrees, 20 Grand Prix,
    /// 30 laureate, 40 participant, 50 letter of gratitude, 60 course certificate.
    pub fn record_number(self) -> u64 {
        match self {
            Award::Place(n) => u64::from(n),
            Award::Degree(n) => 10 + u64::from(n),
            Award::GrandPrix => 20,
            Award::Laureate => 30,
            Award::Participant => 40,
            Award::Letter => 50,
            Award::Course => 60,
        }
    }

    pub fn from_record_number(number: u64) -> Option<Award> {
        match number {
            1..=3 => Some(Award::Place(number as u8)),
            11..=13 => Some(Award::Degree((number - 10) as u8)),
            20 => Some(Award::GrandPrix),
            30 => Some(Award::Laureate),
            40 => Some(Award::Participant),
            50 => Some(Award::Letter),
            60 => Some(Award::Course),
            _ => None,
        }
    }

    /// Whether a results row (or a correction) may carry this award: a letter is made for a
    /// supervisor and a course certificate by the competition's kind, never written in a row.
    pub fn is_entry_award(self) -> bool {
        !matches!(self, Award::Letter | Award::Course)
    }

    pub fn document_kind(self) -> DocumentKind {
        match self {
            Award::Participant => DocumentKind::Certificate,
            Award::Letter => DocumentKind::Letter,
            Award::Course => DocumentKind::Course,
            _ => DocumentKind::Diploma,
        }
    }

    /// The award as a person says it: "I место", "1 орын", "Diploma of the II degree".
    pub fn title(self, lang: Lang) -> String {
        match (self, lang) {
            (Award::GrandPrix, Lang::Kk) => "Бас жүлде".into(),
            (Award::GrandPrix, Lang::Ru) => "Гран-при".into(),
            (Award::GrandPrix, Lang::En) => "Grand Prix".into(),
            (Award::Place(n), Lang::Kk) => format!("{} орын", ROMAN[n as usize]),
            (Award::Place(n), Lang::Ru) => format!("{} место", ROMAN[n as usize]),
            (Award::Place(n), Lang::En) => format!("{} place", ordinal_en(n)),
            (Award::Degree(n), Lang::Kk) => format!("{} дәрежелі диплом", ROMAN[n as usize]),
            (Award::Degree(n), Lang::Ru) => format!("Диплом {} степени", ROMAN[n as usize]),
            (Award::Degree(n), Lang::En) => format!("Diploma of the {} degree", ROMAN[n as usize]),
            (Award::Laureate, Lang::Kk) => "Лауреат".into(),
            (Award::Laureate, Lang::Ru) => "Лауреат".into(),
            (Award::Laureate, Lang::En) => "Laureate".into(),
            (Award::Participant, Lang::Kk) => "Қатысушы".into(),
            (Award::Participant, Lang::Ru) => "Участник".into(),
            (Award::Participant, Lang::En) => "Participant".into(),
            (Award::Letter | Award::Course, lang) => self.document_kind().title(lang).into(),
        }
    }
}

fn ordinal_en(n: u8) -> &'static str {
    match n {
        1 => "1st",
        2 => "2nd",
        _ => "3rd",
    }
}

fn rank_of(word: &str) -> Option<u8> {
    let digits: String = word.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rank = match (digits.as_str(), word) {
        ("1", _) | (_, "i") | (_, "первое") | (_, "первой") | (_, "first") | (_, "бірінші") => {
            1
        }
        ("2", _) | (_, "ii") | (_, "второе") | (_, "второй") | (_, "second") | (_, "екінші") => {
            2
        }
        ("3", _) | (_, "iii") | (_, "третье") | (_, "третьей") | (_, "third") | (_, "үшінші") => {
            3
        }
        _ => return None,
    };
    Some(rank)
}

impl fmt::Display for Award {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_awards_as_organizers_write_them() {
        let cases = [
            ("1", Award::Place(1)),
            ("I место", Award::Place(1)),
            ("2 место", Award::Place(2)),
            ("III орын", Award::Place(3)),
            ("1 орын", Award::Place(1)),
            ("2nd place", Award::Place(2)),
            ("Диплом II степени", Award::Degree(2)),
            ("I дәрежелі диплом", Award::Degree(1)),
            ("Гран-при", Award::GrandPrix),
            ("Бас жүлде", Award::GrandPrix),
            ("Grand Prix", Award::GrandPrix),
            ("Лауреат", Award::Laureate),
            ("Участник", Award::Participant),
            ("Қатысушы", Award::Participant),
            ("", Award::Participant),
            ("Победитель", Award::Place(1)),
            ("Жеңімпаз", Award::Place(1)),
            ("Лауреат I степени", Award::Degree(1)),
            ("Дипломант III степени", Award::Degree(3)),
            ("1-е место", Award::Place(1)),
            ("II-место", Award::Place(2)),
            ("Сертификат участника", Award::Participant),
        ];
        for (text, award) in cases {
            assert_eq!(Award::parse(text), Some(award), "{text}");
        }
        assert_eq!(Award::parse("чемпион мира"), None);
        assert_eq!(Award::parse("7 место"), None);
        assert_eq!(Award::parse("Призёр"), None);
        assert!(Award::needs_place("Призёр"));
        assert!(Award::needs_place("Жүлдегер"));
        assert!(!Award::needs_place("Участник"));
    }

    #[test]
    fn codes_round_trip() {
        for award in [
            Award::GrandPrix,
            Award::Place(2),
            Award::Degree(3),
            Award::Laureate,
            Award::Participant,
            Award::Letter,
            Award::Course,
        ] {
            assert_eq!(Award::from_code(&award.code()), Some(award));
            assert_eq!(Award::from_record_number(award.record_number()), Some(award));
        }
        assert_eq!(Award::from_code("place_4"), None);
    }
}
