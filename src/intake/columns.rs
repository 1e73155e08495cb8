//! Which column is which, from the headers organizers write in Russian, Kazakh or English.

use crate::domain::entry::normalize_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    School,
    Region,
    SettlementType,
    Supervisor,
    Nomination,
    AgeGroup,
    Email,
    Award,
    TeamMembers,
    SupervisorEmail,
    /// A course's academic hours for the row.
    Hours,
    /// Tells namesakes apart; never printed or public.
    BirthDate,
    /// Tells namesakes apart; never printed or public.
    Phone,
    /// A given name in a column of its own ("Имя", "Аты"): joined to the surname column.
    GivenName,
    /// A patronymic in a column of its own ("Отчество", "Әкесінің аты"): joined after the given name.
    Patronymic,
    /// A seminar's or webinar's attendance ("Присутствовал", "Қатысты"): only those who came get
    /// a certificate.
    Attended,
}

impl Field {
    pub const ALL: [Field; 17] = [
        Field::Name,
        Field::School,
        Field::Region,
        Field::SettlementType,
        Field::Supervisor,
        Field::Nomination,
        Field::AgeGroup,
        Field::Email,
        Field::Award,
        Field::TeamMembers,
        Field::SupervisorEmail,
        Field::Hours,
        Field::BirthDate,
        Field::Phone,
        Field::GivenName,
        Field::Patronymic,
        Field::Attended,
    ];

    /// The field a mapping names by its label.
    pub fn from_label(label: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.label() == label)
    }

    /// The name used in error reports and mappings.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::School => "organization",
            Field::Region => "region",
            Field::SettlementType => "settlement_type",
            Field::Supervisor => "supervisor",
            Field::Nomination => "nomination",
            Field::AgeGroup => "age_group",
            Field::Email => "email",
            Field::Award => "award",
            Field::TeamMembers => "team_members",
            Field::SupervisorEmail => "supervisor_email",
            Field::Hours => "hours",
            Field::BirthDate => "birth_date",
            Field::Phone => "phone",
            Field::GivenName => "given_name",
            Field::Patronymic => "patronymic",
            Field::Attended => "attended",
        }
    }

    /// The column as a person calls it, for the error table and the preview in the pages.
    pub fn title(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::{En, Kk, Ru};
        match (self, lang) {
            (Field::Name, Kk) => "Қатысушы",
            (Field::Name, Ru) => "Участник",
            (Field::Name, En) => "Participant",
            (Field::School, Kk) => "Ұйым",
            (Field::School, Ru) => "Организация",
            (Field::School, En) => "Organization",
            (Field::Region, Kk) => "Өңір",
            (Field::Region, Ru) => "Регион",
            (Field::Region, En) => "Region",
            (Field::SettlementType, Kk) => "Елді мекен түрі",
            (Field::SettlementType, Ru) => "Тип населённого пункта",
            (Field::SettlementType, En) => "Settlement type",
            (Field::Supervisor, Kk) => "Жетекші",
            (Field::Supervisor, Ru) => "Руководитель",
            (Field::Supervisor, En) => "Supervisor",
            (Field::Nomination, Kk) => "Аталым",
            (Field::Nomination, Ru) => "Номинация",
            (Field::Nomination, En) => "Nomination",
            (Field::AgeGroup, Kk) => "Жас санаты",
            (Field::AgeGroup, Ru) => "Возрастная категория",
            (Field::AgeGroup, En) => "Age group",
            (Field::Email, Kk) => "Эл. пошта",
            (Field::Email, Ru) => "Эл. почта",
            (Field::Email, En) => "E-mail",
            (Field::Award, Kk) => "Марапат",
            (Field::Award, Ru) => "Награда",
            (Field::Award, En) => "Award",
            (Field::TeamMembers, Kk) => "Команда құрамы",
            (Field::TeamMembers, Ru) => "Состав команды",
            (Field::TeamMembers, En) => "Team members",
            (Field::SupervisorEmail, Kk) => "Жетекшінің эл. поштасы",
            (Field::SupervisorEmail, Ru) => "Эл. почта руководителя",
            (Field::SupervisorEmail, En) => "Supervisor's e-mail",
            (Field::Hours, Kk) => "Сағат",
            (Field::Hours, Ru) => "Часы",
            (Field::Hours, En) => "Hours",
            (Field::BirthDate, Kk) => "Туған күні",
            (Field::BirthDate, Ru) => "Дата рождения",
            (Field::BirthDate, En) => "Birth date",
            (Field::Phone, Kk) => "Телефон",
            (Field::Phone, Ru) => "Телефон",
            (Field::Phone, En) => "Phone",
            (Field::GivenName, Kk) => "Аты",
            (Field::GivenName, Ru) => "Имя",
            (Field::GivenName, En) => "Given name",
            (Field::Patronymic, Kk) => "Әкесінің аты",
            (Field::Patronymic, Ru) => "Отчество",
            (Field::Patronymic, En) => "Patronymic",
            (Field::Attended, Kk) => "Қатысты",
            (Field::Attended, Ru) => "Присутствовал",
            (Field::Attended, En) => "Attended",
        }
    }
}

/// Header texts, lower case, each mapped to its field. Longer, more specific names come first so
/// "состав команды" is not read as a name column.
const HEADERS: &[(&str, Field)] = &[
    ("имя", Field::GivenName),
    ("аты", Field::GivenName),
    ("first name", Field::GivenName),
    ("given name", Field::GivenName),
    ("отчество", Field::Patronymic),
    ("әкесінің аты", Field::Patronymic),
    ("patronymic", Field::Patronymic),
    ("middle name", Field::Patronymic),
    ("тегі", Field::Name),
    ("surname", Field::Name),
    ("last name", Field::Name),
    ("название команды", Field::Name),
    ("команда атауы", Field::Name),
    ("команда", Field::Name),
    ("team", Field::Name),
    ("team name", Field::Name),
    ("статус", Field::Award),
    ("status", Field::Award),
    ("мәртебе", Field::Award),
    ("мәртебесі", Field::Award),
    ("занятое место", Field::Award),
    ("секция", Field::Nomination),
    ("направление", Field::Nomination),
    ("предмет", Field::Nomination),
    ("пән", Field::Nomination),
    ("призовое место", Field::Award),
    ("город/село", Field::SettlementType),
    ("город / село", Field::SettlementType),
    ("қала/ауыл", Field::SettlementType),
    ("қала / ауыл", Field::SettlementType),
    ("тип местности", Field::SettlementType),
    ("birth_date", Field::BirthDate),
    ("birth date", Field::BirthDate),
    ("date of birth", Field::BirthDate),
    ("birthday", Field::BirthDate),
    ("дата рождения", Field::BirthDate),
    ("д.р.", Field::BirthDate),
    ("год рождения", Field::BirthDate),
    ("туған күні", Field::BirthDate),
    ("туған жылы", Field::BirthDate),
    ("туылған күні", Field::BirthDate),
    ("hours", Field::Hours),
    ("academic hours", Field::Hours),
    ("часы", Field::Hours),
    ("часов", Field::Hours),
    ("количество часов", Field::Hours),
    ("кол-во часов", Field::Hours),
    ("объём часов", Field::Hours),
    ("объем часов", Field::Hours),
    ("объём (часов)", Field::Hours),
    ("академических часов", Field::Hours),
    ("сағат", Field::Hours),
    ("сағаты", Field::Hours),
    ("сағат саны", Field::Hours),
    ("сағат көлемі", Field::Hours),
    ("attended", Field::Attended),
    ("attendance", Field::Attended),
    ("присутствовал", Field::Attended),
    ("присутствовал(а)", Field::Attended),
    ("присутствие", Field::Attended),
    ("посещение", Field::Attended),
    ("явка", Field::Attended),
    ("қатысты", Field::Attended),
    ("қатысуы", Field::Attended),
    ("келді", Field::Attended),
    ("team_members", Field::TeamMembers),
    ("team members", Field::TeamMembers),
    ("состав команды", Field::TeamMembers),
    ("команда құрамы", Field::TeamMembers),
    ("settlement_type", Field::SettlementType),
    ("settlement", Field::SettlementType),
    ("тип населенного пункта", Field::SettlementType),
    ("местность", Field::SettlementType),
    ("елді мекен", Field::SettlementType),
    ("age_group", Field::AgeGroup),
    ("age group", Field::AgeGroup),
    ("возрастная категория", Field::AgeGroup),
    ("возраст", Field::AgeGroup),
    ("жас санаты", Field::AgeGroup),
    ("жас тобы", Field::AgeGroup),
    ("supervisor", Field::Supervisor),
    ("teacher", Field::Supervisor),
    ("руководитель", Field::Supervisor),
    ("педагог", Field::Supervisor),
    ("наставник", Field::Supervisor),
    ("жетекші", Field::Supervisor),
    ("nomination", Field::Nomination),
    ("category", Field::Nomination),
    ("номинация", Field::Nomination),
    ("аталым", Field::Nomination),
    ("номинациясы", Field::Nomination),
    ("номинаци", Field::Nomination),
    ("organization", Field::School),
    ("organisation", Field::School),
    ("school", Field::School),
    ("организация", Field::School),
    ("учреждение", Field::School),
    ("образовательная организация", Field::School),
    ("образовательное учреждение", Field::School),
    ("наименование организации", Field::School),
    ("наименование учреждения", Field::School),
    ("наименование оо", Field::School),
    ("учебное заведение", Field::School),
    ("білім беру ұйымы", Field::School),
    ("оқу орны", Field::School),
    ("школа", Field::School),
    ("мекеме", Field::School),
    ("ұйым", Field::School),
    ("мектеп", Field::School),
    ("region", Field::Region),
    ("регион", Field::Region),
    ("область", Field::Region),
    ("облыс", Field::Region),
    ("өңір", Field::Region),
    ("e-mail", Field::Email),
    ("email", Field::Email),
    ("почта", Field::Email),
    ("электронная почта", Field::Email),
    ("пошта", Field::Email),
    ("award", Field::Award),
    ("place", Field::Award),
    ("result", Field::Award),
    ("место", Field::Award),
    ("награда", Field::Award),
    ("результат", Field::Award),
    ("степень", Field::Award),
    ("орын", Field::Award),
    ("орны", Field::Award),
    ("марапат", Field::Award),
    ("диплом", Field::Award),
    ("итог", Field::Award),
    ("жүлде", Field::Award),
    ("нәтиже", Field::Award),
    ("full name", Field::Name),
    ("full_name", Field::Name),
    ("name", Field::Name),
    ("participant", Field::Name),
    ("фио", Field::Name),
    ("ф.и.о.", Field::Name),
    ("ф.и.о", Field::Name),
    ("фамилия имя", Field::Name),
    ("фамилия, имя", Field::Name),
    ("фамилия", Field::Name),
    ("участник", Field::Name),
    ("аты-жөні", Field::Name),
    ("аты жөні", Field::Name),
    ("қатысушы", Field::Name),
];

/// Words that decide a header wherever they stand: "ФИО руководителя" is the supervisor, not the
/// participant, though it begins like a name column.
const DECIDING_WORDS: &[(&str, Field)] = &[
    ("руковод", Field::Supervisor),
    ("педагог", Field::Supervisor),
    ("наставник", Field::Supervisor),
    ("жетекші", Field::Supervisor),
    ("teacher", Field::Supervisor),
    ("supervisor", Field::Supervisor),
    ("учител", Field::Supervisor),
    ("мұғалім", Field::Supervisor),
    ("тренер", Field::Supervisor),
    ("состав команды", Field::TeamMembers),
    ("команда құрамы", Field::TeamMembers),
];

/// Words that make a header a column of points, never the award: "Итоговый балл" begins like
/// "Итог", and a results file often has both.
const SCORE_WORDS: &[&str] = &["балл", "ұпай", "score", "points", "сумма"];

/// Words that decide a header when they stand anywhere in it and nothing above did: "Полное
/// наименование образовательной организации", "Облыс / қала".
const CONTAINED_WORDS: &[(&str, Field)] = &[
    ("организац", Field::School),
    ("учрежден", Field::School),
    ("школ", Field::School),
    ("мектеп", Field::School),
    ("ұйым", Field::School),
    ("мекеме", Field::School),
    ("school", Field::School),
    ("регион", Field::Region),
    ("област", Field::Region),
    ("облыс", Field::Region),
    ("район", Field::Region),
    ("аудан", Field::Region),
    // A name column named with more words: "Оқушының аты-жөні", "Полное ФИО", "Participant's name".
    ("аты-жөн", Field::Name),
    ("аты жөн", Field::Name),
    ("фио", Field::Name),
    ("ф.и.о", Field::Name),
    ("participant", Field::Name),
];

/// A header of a field that a better column of the same field takes from it: a place column
/// ("Место": 1, 2, … 40) gives way to a status column ("Статус": Победитель, Призёр), a team's
/// name to a participant's.
pub fn gives_way(header: &str, field: Field) -> bool {
    let header = normalize_text(header).to_lowercase();
    match field {
        Field::Award => ["мест", "орын", "орны", "place", "занятое"]
            .iter()
            .any(|w| header.starts_with(w)),
        Field::Name => header.contains("команд") || header.starts_with("team"),
        _ => false,
    }
}

/// Words that make a header an e-mail address column ("Эл. почта", "Электрондық пошта", "E-mail
/// руководителя"): whose address it is depends on whether it also names the supervisor.
const EMAIL_WORDS: &[&str] = &["e-mail", "email", "e mail", "почта", "пошта"];

/// Words that make a header a telephone column; a supervisor's number is not the participant's and
/// is kept as a column of its own.
const PHONE_WORDS: &[&str] = &["телефон", "phone", "тел.", "ұялы"];

/// The field a header names: an e-mail column first (an address is never a name), then an exact match, then a deciding word anywhere, then a header
/// that begins with a known name ("Облысы", "ФИО участника").
pub fn recognize(header: &str) -> Option<Field> {
    let header = normalize_text(header).to_lowercase();
    let header = header.trim_matches(|c: char| c == ':' || c == '*' || c.is_whitespace());
    if header.is_empty() {
        return None;
    }
    if EMAIL_WORDS.iter().any(|word| header.contains(word)) {
        let supervisor = DECIDING_WORDS
            .iter()
            .any(|(word, field)| *field == Field::Supervisor && header.contains(word));
        return Some(if supervisor {
            Field::SupervisorEmail
        } else {
            Field::Email
        });
    }
    if SCORE_WORDS.iter().any(|word| header.contains(word)) {
        return None;
    }
    if PHONE_WORDS.iter().any(|word| header.contains(word)) || header == "тел" {
        let supervisor = DECIDING_WORDS
            .iter()
            .any(|(word, field)| *field == Field::Supervisor && header.contains(word));
        return (!supervisor).then_some(Field::Phone);
    }
    HEADERS
        .iter()
        .find(|(name, _)| *name == header)
        .or_else(|| DECIDING_WORDS.iter().find(|(word, _)| header.contains(word)))
        .or_else(|| HEADERS.iter().find(|(name, _)| header.starts_with(name)))
        .or_else(|| CONTAINED_WORDS.iter().find(|(word, _)| header.contains(word)))
        .map(|(_, field)| *field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_headers_in_three_languages() {
        assert_eq!(recognize("ФИО"), Some(Field::Name));
        assert_eq!(recognize("Аты-жөні"), Some(Field::Name));
        assert_eq!(recognize("Облыс"), Some(Field::Region));
        assert_eq!(recognize("Жетекшісі"), Some(Field::Supervisor));
        assert_eq!(recognize("Орын"), Some(Field::Award));
        assert_eq!(recognize("Руководитель (ФИО)"), Some(Field::Supervisor));
        assert_eq!(recognize("Состав команды"), Some(Field::TeamMembers));
        assert_eq!(recognize("Nomination"), Some(Field::Nomination));
        assert_eq!(recognize("ФИО участника"), Some(Field::Name));
        assert_eq!(recognize("Ф.И.О. руководителя"), Some(Field::Supervisor));
        assert_eq!(recognize("Наименование организации"), Some(Field::School));
        assert_eq!(recognize("Орны"), Some(Field::Award));
        assert_eq!(recognize("Номинации"), Some(Field::Nomination));
        assert_eq!(recognize("Эл. почта"), Some(Field::Email));
        assert_eq!(recognize("Электронная почта"), Some(Field::Email));
        assert_eq!(recognize("Эл. пошта"), Some(Field::Email));
        assert_eq!(recognize("E-mail"), Some(Field::Email));
        assert_eq!(recognize("Почта"), Some(Field::Email));
        assert_eq!(recognize("E-mail руководителя"), Some(Field::SupervisorEmail));
        assert_eq!(recognize("Жетекшінің эл. поштасы"), Some(Field::SupervisorEmail));
        assert_eq!(recognize("Supervisor email"), Some(Field::SupervisorEmail));
        assert_eq!(recognize("Часы"), Some(Field::Hours));
        assert_eq!(recognize("Сағат"), Some(Field::Hours));
        assert_eq!(recognize("Hours"), Some(Field::Hours));
        assert_eq!(recognize("Количество часов"), Some(Field::Hours));
        assert_eq!(recognize("Присутствовал"), Some(Field::Attended));
        assert_eq!(recognize("Қатысты"), Some(Field::Attended));
        assert_eq!(recognize("Attended"), Some(Field::Attended));
        assert_eq!(recognize("Явка"), Some(Field::Attended));
        assert_eq!(recognize("Дата рождения"), Some(Field::BirthDate));
        assert_eq!(recognize("Туған күні"), Some(Field::BirthDate));
        assert_eq!(recognize("Телефон"), Some(Field::Phone));
        assert_eq!(recognize("Байланыс телефоны"), Some(Field::Phone));
        assert_eq!(recognize("Телефон руководителя"), None);
        assert_eq!(recognize("Фамилия"), Some(Field::Name));
        assert_eq!(recognize("Имя"), Some(Field::GivenName));
        assert_eq!(recognize("Отчество"), Some(Field::Patronymic));
        assert_eq!(recognize("Тегі"), Some(Field::Name));
        assert_eq!(recognize("Аты"), Some(Field::GivenName));
        assert_eq!(recognize("Әкесінің аты"), Some(Field::Patronymic));
        assert_eq!(recognize("Итоговый балл"), None);
        assert_eq!(recognize("Сумма баллов"), None);
        assert_eq!(recognize("Статус"), Some(Field::Award));
        assert_eq!(
            recognize("Полное наименование образовательной организации"),
            Some(Field::School)
        );
        assert_eq!(recognize("Город/село"), Some(Field::SettlementType));
        assert_eq!(recognize("Название команды"), Some(Field::Name));
        assert_eq!(recognize("Состав команды"), Some(Field::TeamMembers));
        assert!(gives_way("Место", Field::Award) && !gives_way("Статус", Field::Award));
        assert_eq!(recognize("Оқушының аты-жөні"), Some(Field::Name));
        assert_eq!(recognize("Полное ФИО обучающегося"), Some(Field::Name));
        assert_eq!(recognize("ФИО учителя"), Some(Field::Supervisor));
        assert_eq!(recognize("Мұғалімнің аты-жөні"), Some(Field::Supervisor));
        assert_eq!(recognize("Тренер"), Some(Field::Supervisor));
        assert_eq!(recognize("Призовое место"), Some(Field::Award));
        assert_eq!(recognize("Предмет"), Some(Field::Nomination));
        assert_eq!(recognize("Район"), Some(Field::Region));
        assert_eq!(recognize("Название школы"), Some(Field::School));
        assert_eq!(recognize("№"), None);
        assert_eq!(recognize(""), None);
        for field in Field::ALL {
            assert_eq!(Field::from_label(field.label()), Some(field));
        }
    }
}
