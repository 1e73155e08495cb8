//! The award an entry receives decides which paper it gets.

use std::fmt;

use crate::i18n::Lang;

/// What an entry is awarded: the category it is ranked and counted in, with its place or degree
/// where it has one. The organizer's own words for it, when they say more than the category
/// ("Специальный приз жюри «За артистизм»", "Абсолютный победитель"), are kept beside it as the
/// printed title (see [`written_title`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Award {
    GrandPrix,
    /// Победитель / Жеңімпаз, without a place.
    Winner,
    /// Призёр / Жүлдегер, without a place.
    PrizeWinner,
    /// 1st to 3rd place.
    Place(u8),
    /// Diploma of I to III degree.
    Degree(u8),
    Laureate,
    /// Лауреат I–III степени / I–III дәрежелі лауреат.
    LaureateDegree(u8),
    Diplomant,
    /// Дипломант I–III степени.
    DiplomantDegree(u8),
    /// Специальный приз, Арнайы жүлде, Приз зрительских симпатий.
    SpecialPrize,
    Finalist,
    Participant,
    /// A letter of gratitude to a supervisor, naming their pupils: never an entry's award, it is
    /// what an issue run gives each supervisor.
    Letter,
    /// Completed a course (a competition of kind `course`), with its hours.
    Course,
}

/// The category an award is counted in for statistics and reports. A place or degree decides it
/// as olympiad rules do: the first is the winner, the second and third are prize-winners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AwardCategory {
    GrandPrix,
    Winner,
    PrizeWinner,
    Laureate,
    Diplomant,
    SpecialPrize,
    Finalist,
    Participant,
    Letter,
    Course,
}

impl AwardCategory {
    pub const ALL: [AwardCategory; 10] = [
        AwardCategory::GrandPrix,
        AwardCategory::Winner,
        AwardCategory::PrizeWinner,
        AwardCategory::Laureate,
        AwardCategory::Diplomant,
        AwardCategory::SpecialPrize,
        AwardCategory::Finalist,
        AwardCategory::Participant,
        AwardCategory::Letter,
        AwardCategory::Course,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AwardCategory::GrandPrix => "grand_prix",
            AwardCategory::Winner => "winner",
            AwardCategory::PrizeWinner => "prize_winner",
            AwardCategory::Laureate => "laureate",
            AwardCategory::Diplomant => "diplomant",
            AwardCategory::SpecialPrize => "special_prize",
            AwardCategory::Finalist => "finalist",
            AwardCategory::Participant => "participant",
            AwardCategory::Letter => "letter",
            AwardCategory::Course => "course",
        }
    }
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
    pub const ALL: [Award; 22] = [
        Award::GrandPrix,
        Award::Winner,
        Award::PrizeWinner,
        Award::Place(1),
        Award::Place(2),
        Award::Place(3),
        Award::Degree(1),
        Award::Degree(2),
        Award::Degree(3),
        Award::Laureate,
        Award::LaureateDegree(1),
        Award::LaureateDegree(2),
        Award::LaureateDegree(3),
        Award::Diplomant,
        Award::DiplomantDegree(1),
        Award::DiplomantDegree(2),
        Award::DiplomantDegree(3),
        Award::SpecialPrize,
        Award::Finalist,
        Award::Participant,
        Award::Letter,
        Award::Course,
    ];

    /// Reads what organizers write in the award column, in Russian, Kazakh or English: the
    /// category, with its place or degree. `None` for words it does not know, which the organizer
    /// maps (see `intake::AwardMapping`).
    pub fn parse(text: &str) -> Option<Award> {
        let words = words_of(text);
        if words.is_empty() {
            return Some(Award::Participant);
        }
        let has = |w: &str| words.iter().any(|x| x.starts_with(w));
        let joined = words.join(" ");
        let rank = words.iter().find_map(|w| rank_of(w));
        let degree = has("степен") || has("дәреже") || has("degree");
        let place = has("мест") || has("орын") || has("орны") || has("place");
        if ["гран при", "бас жүлде", "grand prix"]
            .iter()
            .any(|w| joined.contains(w))
            || (has("абсолют") && (has("победител") || has("жеңімпаз") || has("winner")))
        {
            return Some(Award::GrandPrix);
        }
        if has("специальн")
            || has("спецприз")
            || has("арнайы")
            || has("special")
            || has("симпати")
            || has("көрермен")
            || has("audience")
        {
            return Some(Award::SpecialPrize);
        }
        if has("лауреат") || has("laureate") {
            return Some(rank.map_or(Award::Laureate, Award::LaureateDegree));
        }
        if has("дипломант") || has("diplomant") {
            return Some(rank.map_or(Award::Diplomant, Award::DiplomantDegree));
        }
        if has("финалист") || has("finalist") {
            return Some(Award::Finalist);
        }
        if let (Some(rank), true) = (rank, degree) {
            return Some(Award::Degree(rank));
        }
        if let (Some(rank), true) = (rank, place) {
            return Some(Award::Place(rank));
        }
        if has("победител") || has("жеңімпаз") || has("winner") && !has("prize") {
            return Some(rank.map_or(Award::Winner, Award::Place));
        }
        if has("призёр")
            || has("призер")
            || has("жүлдегер")
            || has("prizewinner")
            || joined.contains("prize winner")
            || joined.contains("runner up")
        {
            return Some(rank.map_or(Award::PrizeWinner, Award::Place));
        }
        if has("участ") || has("қатысу") || has("participa") || has("сертификат") || has("certificate")
        {
            return Some(Award::Participant);
        }
        match (rank, words.len()) {
            (Some(rank), 1) => Some(Award::Place(rank)),
            // A place below the prizes ("4", "12 место") gets a certificate of participation.
            _ if beyond_prizes(&words) && (place || words.len() == 1) => Some(Award::Participant),
            _ => None,
        }
    }

    pub fn code(self) -> String {
        match self {
            Award::GrandPrix => "grand_prix".into(),
            Award::Winner => "winner".into(),
            Award::PrizeWinner => "prize_winner".into(),
            Award::Place(n) => format!("place_{n}"),
            Award::Degree(n) => format!("degree_{n}"),
            Award::Laureate => "laureate".into(),
            Award::LaureateDegree(n) => format!("laureate_{n}"),
            Award::Diplomant => "diplomant".into(),
            Award::DiplomantDegree(n) => format!("diplomant_{n}"),
            Award::SpecialPrize => "special_prize".into(),
            Award::Finalist => "finalist".into(),
            Award::Participant => "participant".into(),
            Award::Letter => "letter".into(),
            Award::Course => "course".into(),
        }
    }

    pub fn from_code(code: &str) -> Option<Award> {
        Award::ALL.into_iter().find(|award| award.code() == code)
    }

    /// The category it is counted in (see [`AwardCategory`]).
    pub fn category(self) -> AwardCategory {
        match self {
            Award::GrandPrix => AwardCategory::GrandPrix,
            Award::Winner | Award::Place(1) | Award::Degree(1) => AwardCategory::Winner,
            Award::PrizeWinner | Award::Place(_) | Award::Degree(_) => AwardCategory::PrizeWinner,
            Award::Laureate | Award::LaureateDegree(_) => AwardCategory::Laureate,
            Award::Diplomant | Award::DiplomantDegree(_) => AwardCategory::Diplomant,
            Award::SpecialPrize => AwardCategory::SpecialPrize,
            Award::Finalist => AwardCategory::Finalist,
            Award::Participant => AwardCategory::Participant,
            Award::Letter => AwardCategory::Letter,
            Award::Course => AwardCategory::Course,
        }
    }

    /// The place or degree, 1–3, where the award has one.
    pub fn rank(self) -> Option<u8> {
        match self {
            Award::Place(n) | Award::Degree(n) | Award::LaureateDegree(n) | Award::DiplomantDegree(n) => {
                Some(n)
            }
            _ => None,
        }
    }

    /// The award's number in the signed record: 1–3 places, 11–13 degrees, 20 Grand Prix,
    /// 21 winner, 22 prize-winner, 30 laureate, 31–33 laureate of a degree, 35 diplomant, 36–38
    /// diplomant of a degree, 40 participant, 50 letter of gratitude, 60 course certificate,
    /// 70 special prize, 71 finalist.
    pub fn record_number(self) -> u64 {
        match self {
            Award::Place(n) => u64::from(n),
            Award::Degree(n) => 10 + u64::from(n),
            Award::GrandPrix => 20,
            Award::Winner => 21,
            Award::PrizeWinner => 22,
            Award::Laureate => 30,
            Award::LaureateDegree(n) => 30 + u64::from(n),
            Award::Diplomant => 35,
            Award::DiplomantDegree(n) => 35 + u64::from(n),
            Award::Participant => 40,
            Award::Letter => 50,
            Award::Course => 60,
            Award::SpecialPrize => 70,
            Award::Finalist => 71,
        }
    }

    pub fn from_record_number(number: u64) -> Option<Award> {
        Award::ALL
            .into_iter()
            .find(|award| award.record_number() == number)
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
        let roman = |n: u8| ROMAN[usize::from(n.min(3))];
        match (self, lang) {
            (Award::GrandPrix, Lang::Kk) => "Бас жүлде".into(),
            (Award::GrandPrix, Lang::Ru) => "Гран-при".into(),
            (Award::GrandPrix, Lang::En) => "Grand Prix".into(),
            (Award::Winner, Lang::Kk) => "Жеңімпаз".into(),
            (Award::Winner, Lang::Ru) => "Победитель".into(),
            (Award::Winner, Lang::En) => "Winner".into(),
            (Award::PrizeWinner, Lang::Kk) => "Жүлдегер".into(),
            (Award::PrizeWinner, Lang::Ru) => "Призёр".into(),
            (Award::PrizeWinner, Lang::En) => "Prize-winner".into(),
            (Award::Place(n), Lang::Kk) => format!("{} орын", roman(n)),
            (Award::Place(n), Lang::Ru) => format!("{} место", roman(n)),
            (Award::Place(n), Lang::En) => format!("{} place", ordinal_en(n)),
            (Award::Degree(n), Lang::Kk) => format!("{} дәрежелі диплом", roman(n)),
            (Award::Degree(n), Lang::Ru) => format!("Диплом {} степени", roman(n)),
            (Award::Degree(n), Lang::En) => format!("Diploma of the {} degree", roman(n)),
            (Award::Laureate, Lang::En) => "Laureate".into(),
            (Award::Laureate, _) => "Лауреат".into(),
            (Award::LaureateDegree(n), Lang::Kk) => format!("{} дәрежелі лауреат", roman(n)),
            (Award::LaureateDegree(n), Lang::Ru) => format!("Лауреат {} степени", roman(n)),
            (Award::LaureateDegree(n), Lang::En) => format!("Laureate of the {} degree", roman(n)),
            (Award::Diplomant, Lang::En) => "Diplomant".into(),
            (Award::Diplomant, _) => "Дипломант".into(),
            (Award::DiplomantDegree(n), Lang::Kk) => format!("{} дәрежелі дипломант", roman(n)),
            (Award::DiplomantDegree(n), Lang::Ru) => format!("Дипломант {} степени", roman(n)),
            (Award::DiplomantDegree(n), Lang::En) => format!("Diplomant of the {} degree", roman(n)),
            (Award::SpecialPrize, Lang::Kk) => "Арнайы жүлде".into(),
            (Award::SpecialPrize, Lang::Ru) => "Специальный приз".into(),
            (Award::SpecialPrize, Lang::En) => "Special prize".into(),
            (Award::Finalist, Lang::En) => "Finalist".into(),
            (Award::Finalist, _) => "Финалист".into(),
            (Award::Participant, Lang::Kk) => "Қатысушы".into(),
            (Award::Participant, Lang::Ru) => "Участник".into(),
            (Award::Participant, Lang::En) => "Participant".into(),
            (Award::Letter | Award::Course, lang) => self.document_kind().title(lang).into(),
        }
    }
}

/// What an award word means: its category (with place or degree) and, when the organizer gave
/// one, the title the paper prints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AwardWord {
    #[serde(serialize_with = "serialize_code")]
    pub award: Award,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

fn serialize_code<S: serde::Serializer>(award: &Award, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&award.code())
}

/// Lower case words of an award text: letters and digits, hyphens and punctuation as spaces
/// ("1-е место" → "1", "е", "место").
fn words_of(text: &str) -> Vec<String> {
    let lower = crate::domain::entry::normalize_text(text)
        .to_lowercase()
        .replace('ё', "е");
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words that only say the category, its place or degree, or the kind of paper; a text made of
/// nothing else is printed as the category's own title in the paper's language, so a Kazakh paper
/// says "Жүлдегер" though the file says "Призёр".
const CATEGORY_WORDS: &[&str] = &[
    "гран",
    "при",
    "победитель",
    "победителя",
    "призер",
    "призера",
    "лауреат",
    "лауреата",
    "дипломант",
    "дипломанта",
    "диплом",
    "диплома",
    "дипломом",
    "степени",
    "степень",
    "место",
    "места",
    "е",
    "ое",
    "й",
    "я",
    "участник",
    "участника",
    "участие",
    "сертификат",
    "финалист",
    "финалиста",
    "специальный",
    "приз",
    "спецприз",
    "бас",
    "жүлде",
    "жүлдесі",
    "жеңімпаз",
    "жеңімпазы",
    "жүлдегер",
    "жүлдегері",
    "орын",
    "орны",
    "дәрежелі",
    "дәрежесі",
    "дәреже",
    "дипломы",
    "қатысушы",
    "қатысушысы",
    "сертификаты",
    "арнайы",
    "grand",
    "prix",
    "winner",
    "prize",
    "prizewinner",
    "runner",
    "up",
    "place",
    "degree",
    "diploma",
    "of",
    "the",
    "laureate",
    "diplomant",
    "participant",
    "participation",
    "certificate",
    "special",
    "finalist",
    "st",
    "nd",
    "rd",
];

/// The organizer's own words for an award, as the paper prints them, when they say more than the
/// category does ("Специальный приз жюри «За артистизм»", "Абсолютный победитель", a word the
/// organizer mapped): white space collapsed, a text in capitals put in sentence case (Roman
/// numerals kept), the first letter capital. `None` when the text only names the category.
pub fn written_title(text: &str, award: Award) -> Option<String> {
    let words = words_of(text);
    let distinctive = words
        .iter()
        .any(|w| !CATEGORY_WORDS.contains(&w.as_str()) && rank_of(w).is_none());
    // "Призёр II степени" is counted as a degree but says more than "Диплом II степени".
    let named = matches!(award, Award::Place(_) | Award::Degree(_))
        && words
            .iter()
            .any(|w| STATUS_STEMS.iter().any(|stem| w.starts_with(stem)));
    (distinctive || named).then(|| normalize_title(text))
}

/// Words of a status that a place or degree does not say by itself.
const STATUS_STEMS: [&str; 7] = [
    "победител",
    "призер",
    "жеңімпаз",
    "жүлдегер",
    "winner",
    "prize",
    "runner",
];

/// White space collapsed, capitals to sentence case, the first letter (and the first after an
/// opening quote) capital: "ДИПЛОМ  I СТЕПЕНИ" → "Диплом I степени".
pub fn normalize_title(text: &str) -> String {
    let text = crate::domain::entry::normalize_text(text);
    let shouting =
        !text.chars().any(char::is_lowercase) && text.chars().filter(|c| c.is_alphabetic()).count() > 1;
    let text = if shouting {
        text.split(' ')
            .map(|word| {
                let roman = word.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'І'));
                if roman {
                    word.to_string()
                } else {
                    word.to_lowercase()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        text
    };
    let mut out = String::with_capacity(text.len());
    let mut capital_next = true;
    for c in text.chars() {
        if capital_next && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        // Only a text's (or a quotation's) first letter: "4 место" stays as it is.
        if !c.is_whitespace() {
            capital_next = false;
        }
        if matches!(c, '«' | '"' | '“' | '„') {
            capital_next = true;
        }
    }
    out
}

/// A place number past the prizes: 4 and on.
fn beyond_prizes(words: &[String]) -> bool {
    words
        .iter()
        .filter_map(|w| {
            w.trim_end_matches(|c: char| c.is_alphabetic())
                .parse::<u32>()
                .ok()
        })
        .any(|n| n > 3)
}

fn ordinal_en(n: u8) -> &'static str {
    match n {
        1 => "1st",
        2 => "2nd",
        _ => "3rd",
    }
}

fn rank_of(word: &str) -> Option<u8> {
    let rank = match word {
        "1" | "i" | "і" | "1st" | "первое" | "первой" | "первая" | "первый" | "first" | "бірінші" => {
            1
        }
        "2" | "ii" | "іі" | "2nd" | "второе" | "второй" | "вторая" | "second" | "екінші" => {
            2
        }
        "3" | "iii" | "ііі" | "3rd" | "третье" | "третьей" | "третья" | "третий" | "third" | "үшінші" => {
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
            ("ГРАН-ПРИ", Award::GrandPrix),
            ("Бас жүлде", Award::GrandPrix),
            ("Grand Prix", Award::GrandPrix),
            ("Абсолютный победитель", Award::GrandPrix),
            ("Абсолютті жеңімпаз", Award::GrandPrix),
            ("Лауреат", Award::Laureate),
            ("Участник", Award::Participant),
            ("Қатысушы", Award::Participant),
            ("", Award::Participant),
            ("Победитель", Award::Winner),
            ("Жеңімпаз", Award::Winner),
            ("Winner", Award::Winner),
            ("Призёр", Award::PrizeWinner),
            ("призер", Award::PrizeWinner),
            ("Жүлдегер", Award::PrizeWinner),
            ("Prize-winner", Award::PrizeWinner),
            ("Призёр (2 место)", Award::Place(2)),
            ("Лауреат I степени", Award::LaureateDegree(1)),
            ("I дәрежелі лауреат", Award::LaureateDegree(1)),
            ("Лауреат 2 степени", Award::LaureateDegree(2)),
            ("Дипломант", Award::Diplomant),
            ("Дипломант III степени", Award::DiplomantDegree(3)),
            ("Специальный приз жюри «За артистизм»", Award::SpecialPrize),
            ("Специальный приз", Award::SpecialPrize),
            ("Арнайы жүлде", Award::SpecialPrize),
            ("Приз зрительских симпатий", Award::SpecialPrize),
            ("Финалист", Award::Finalist),
            ("1-е место", Award::Place(1)),
            ("II-место", Award::Place(2)),
            ("Сертификат участника", Award::Participant),
            ("Қатысушы сертификаты", Award::Participant),
        ];
        for (text, award) in cases {
            assert_eq!(Award::parse(text), Some(award), "{text}");
        }
        assert_eq!(Award::parse("чемпион мира"), None);
        assert_eq!(Award::parse("7 место"), Some(Award::Participant));
        assert_eq!(Award::parse("12"), Some(Award::Participant));
        assert_eq!(Award::parse("4-е место"), Some(Award::Participant));
        assert_eq!(Award::parse("Призёр II степени"), Some(Award::Degree(2)));
        assert_eq!(Award::parse("Победитель (1 место)"), Some(Award::Place(1)));
        assert_eq!(Award::parse("Молодец"), None);
    }

    fn written_title_of(text: &str) -> Option<String> {
        written_title(text, Award::parse(text).unwrap())
    }

    #[test]
    fn the_organizers_words_are_kept_when_they_say_more_than_the_category() {
        assert_eq!(written_title_of("Призёр"), None);
        assert_eq!(written_title_of("  ЛАУРЕАТ   I СТЕПЕНИ "), None);
        assert_eq!(written_title_of("Диплом II степени"), None);
        assert_eq!(written_title_of("Сертификат участника"), None);
        assert_eq!(written_title_of("1-е место"), None);
        assert_eq!(
            written_title_of("СПЕЦИАЛЬНЫЙ ПРИЗ ЖЮРИ «ЗА АРТИСТИЗМ»").as_deref(),
            Some("Специальный приз жюри «За артистизм»")
        );
        assert_eq!(
            written_title_of("абсолютный  победитель").as_deref(),
            Some("Абсолютный победитель")
        );
        assert_eq!(
            written_title_of("Приз зрительских симпатий").as_deref(),
            Some("Приз зрительских симпатий")
        );
        assert_eq!(
            written_title_of("Призёр II степени").as_deref(),
            Some("Призёр II степени")
        );
        assert_eq!(written_title_of("4 место").as_deref(), Some("4 место"));
        assert_eq!(normalize_title("ДИПЛОМАНТ II СТЕПЕНИ"), "Дипломант II степени");
        assert_eq!(normalize_title("жеңімпаз"), "Жеңімпаз");
    }

    #[test]
    fn categories_count_places_and_degrees_as_olympiads_do() {
        assert_eq!(Award::Place(1).category(), AwardCategory::Winner);
        assert_eq!(Award::Degree(3).category(), AwardCategory::PrizeWinner);
        assert_eq!(Award::PrizeWinner.category(), AwardCategory::PrizeWinner);
        assert_eq!(Award::LaureateDegree(2).category(), AwardCategory::Laureate);
        assert_eq!(Award::LaureateDegree(2).rank(), Some(2));
        assert_eq!(Award::SpecialPrize.rank(), None);
    }

    #[test]
    fn codes_round_trip() {
        let mut numbers = std::collections::HashSet::new();
        for award in Award::ALL {
            assert_eq!(Award::from_code(&award.code()), Some(award));
            assert_eq!(Award::from_record_number(award.record_number()), Some(award));
            assert!(
                numbers.insert(award.record_number()),
                "{award} has its own number"
            );
        }
        assert_eq!(Award::from_code("place_4"), None);
    }
}
