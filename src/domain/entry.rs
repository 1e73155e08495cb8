use std::collections::BTreeMap;

use serde::Serialize;

use super::Award;

/// A row of results, read and checked, not yet stored.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryDraft {
    /// The row number in the uploaded file, as the spreadsheet shows it (header = 1).
    pub source_row: usize,
    pub holder: HolderName,
    pub team_members: Vec<String>,
    pub school: Option<String>,
    pub region: Option<String>,
    pub settlement_type: Option<SettlementType>,
    pub supervisor: Option<String>,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    pub email: Option<String>,
    /// Where the supervisor's letter and pupils' papers are sent.
    pub supervisor_email: Option<String>,
    pub award: Award,
    /// The organizer's own words for the award when they say more than its category
    /// ("Специальный приз жюри «За артистизм»"); the paper prints them.
    pub award_title: Option<String>,
    /// Tells namesakes apart; never printed, never public, never in the signed record.
    pub birth_date: Option<String>,
    /// Tells namesakes apart and reaches the family; never printed or public.
    pub phone: Option<String>,
    /// A course's academic hours for this participant (a results column), else the competition's.
    pub hours: Option<u32>,
    /// Columns the mapping does not know, header → value, printed by `{custom.HEADER}`.
    pub custom: BTreeMap<String, String>,
    /// A seminar's or webinar's "attended" column: None when the file has no such column (a
    /// mark made in the pages then stays).
    pub attended: Option<bool>,
}

impl EntryDraft {
    /// Who the row is about: the name with what tells namesakes apart (organization, region,
    /// birth date, e-mail) and where they compete (nomination, age group). Two children called
    /// «Петров Михаил Алексеевич» from two schools are two people; the same file uploaded again
    /// finds its entries by it.
    pub fn identity(&self) -> String {
        let lower = |v: &Option<String>| v.as_deref().map(str::to_lowercase).unwrap_or_default();
        [
            self.holder.as_str().to_lowercase(),
            lower(&self.school),
            lower(&self.region),
            lower(&self.birth_date),
            lower(&self.email),
            lower(&self.nomination),
            lower(&self.age_group),
        ]
        .join("\u{1f}")
    }

    /// Everything the row says but its row number: equal for two rows that agree on every column.
    pub fn content(&self) -> String {
        let mut row = self.clone();
        row.source_row = 0;
        format!("{row:?}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SettlementType {
    City,
    Rural,
}

impl SettlementType {
    pub fn parse(text: &str) -> Option<SettlementType> {
        let lower = text.trim().to_lowercase();
        if [
            "city",
            "urban",
            "город",
            "городская",
            "городской",
            "қала",
            "қалалық",
        ]
        .iter()
        .any(|w| lower.starts_with(w))
        {
            Some(SettlementType::City)
        } else if [
            "rural",
            "village",
            "село",
            "сельская",
            "сельский",
            "ауыл",
            "ауылдық",
        ]
        .iter()
        .any(|w| lower.starts_with(w))
        {
            Some(SettlementType::Rural)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SettlementType::City => "city",
            SettlementType::Rural => "rural",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredEntry {
    pub id: String,
    pub competition_id: String,
    pub source_row: i32,
    pub holder: String,
    pub team_members: Vec<String>,
    pub school: Option<String>,
    pub region: Option<String>,
    pub settlement_type: Option<String>,
    pub supervisor: Option<String>,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    pub email: Option<String>,
    pub supervisor_email: Option<String>,
    #[serde(serialize_with = "serialize_award")]
    pub award: Award,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub award_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, String>,
    /// Attended the seminar or webinar (true), marked absent (false), or nobody said (None).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attended: Option<bool>,
}

fn serialize_award<S: serde::Serializer>(award: &Award, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&award.code())
}

impl StoredEntry {
    /// What the paper calls the award in `lang`: the organizer's words, or the category's title.
    pub fn printed_award(&self, lang: crate::i18n::Lang) -> String {
        self.award_title.clone().unwrap_or_else(|| self.award.title(lang))
    }

    /// The entry as the row that would store it again: what a new upload is compared with.
    pub fn as_draft(&self) -> Option<EntryDraft> {
        Some(EntryDraft {
            source_row: usize::try_from(self.source_row).ok()?,
            holder: HolderName::parse(&self.holder)?,
            team_members: self.team_members.clone(),
            school: self.school.clone(),
            region: self.region.clone(),
            settlement_type: self.settlement_type.as_deref().and_then(SettlementType::parse),
            supervisor: self.supervisor.clone(),
            nomination: self.nomination.clone(),
            age_group: self.age_group.clone(),
            email: self.email.clone(),
            supervisor_email: self.supervisor_email.clone(),
            award: self.award,
            award_title: self.award_title.clone(),
            birth_date: self.birth_date.clone(),
            phone: self.phone.clone(),
            hours: self.hours,
            custom: self.custom.clone(),
            attended: self.attended,
        })
    }

    /// The same participant entering the next stage: everything but the award, which the next
    /// stage's jury decides.
    pub fn into_next_stage(self) -> Option<EntryDraft> {
        let mut draft = self.as_draft()?;
        draft.award = Award::Participant;
        draft.award_title = None;
        draft.attended = None;
        Some(draft)
    }
}

/// A holder's full name, NFC-normalized and with inner white space collapsed. Lists in Kazakhstan
/// and Russia put the surname first: "Сейтқали Айгерім Нұрланқызы".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderName(String);

impl HolderName {
    pub fn parse(text: &str) -> Option<HolderName> {
        let normalized = normalize_text(text);
        (!normalized.is_empty()).then_some(HolderName(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the public may see of a name: the given name and the surname's initial ("Айгерім С.").
/// A team name (`is_team`) is not personal data and is shown whole.
pub fn mask_name(full_name: &str, is_team: bool) -> String {
    if is_team {
        return full_name.to_string();
    }
    let words: Vec<&str> = full_name.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [only] => initial(only),
        [surname, given, ..] => format!("{given} {}", initial(surname)),
    }
}

fn initial(word: &str) -> String {
    word.chars()
        .next()
        .map(|c| format!("{}.", c.to_uppercase()))
        .unwrap_or_default()
}

/// Who a supervisor cell names, for telling one person from another: NFC, trimmed, lower case,
/// runs of spaces collapsed and spaces after a dot dropped, so "Ахметова Г.С." and
/// "ахметова  Г. С." are one person. Nothing else is merged: "Ахметова Г.С." and "Ахметова Гүлнар"
/// stay two, as a methodist could not tell they are one either.
pub fn supervisor_key(name: &str) -> Option<String> {
    let collapsed = normalize_text(name).to_lowercase();
    let mut key = String::with_capacity(collapsed.len());
    for c in collapsed.chars() {
        if c == ' ' && key.ends_with('.') {
            continue;
        }
        key.push(c);
    }
    (!key.is_empty()).then_some(key)
}

/// NFC normalization and collapsed white space: the same name typed twice compares equal. Controls
/// and direction marks are dropped (see `text`).
pub fn normalize_text(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let nfc: String = text.nfc().filter(|c| super::text::kept(*c)).collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_to_given_name_and_surname_initial() {
        assert_eq!(mask_name("Сейтқали Айгерім Нұрланқызы", false), "Айгерім С.");
        assert_eq!(mask_name("Әбілқайырова Аружан", false), "Аружан Ә.");
        assert_eq!(mask_name("Мадина", false), "М.");
        assert_eq!(mask_name("Школьный парламент", true), "Школьный парламент");
    }

    #[test]
    fn normalizes_composed_and_decomposed_alike() {
        let decomposed = "Йо\u{0308}  Ә";
        assert_eq!(normalize_text(decomposed), normalize_text("Йӧ Ә"));
        assert_eq!(HolderName::parse("   "), None);
    }

    #[test]
    fn one_supervisor_however_the_initials_are_spaced() {
        let key = supervisor_key("Ахметова Г.С.");
        assert_eq!(key, supervisor_key(" Ахметова  Г. С. "));
        assert_eq!(key, supervisor_key("АХМЕТОВА г.с."));
        assert_eq!(
            supervisor_key("Ә\u{0301}біл Қ.").map(|k| k.chars().count()),
            supervisor_key("Ә\u{0301}біл  Қ.").map(|k| k.chars().count())
        );
        assert_ne!(key, supervisor_key("Ахметова Гүлнар"));
        assert_ne!(key, supervisor_key("Ахметов Г.С."));
        assert_eq!(supervisor_key("  "), None);
    }
}

/// What an organizer corrects on an issued paper; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct EntryCorrection {
    pub holder: Option<HolderName>,
    pub school: Option<String>,
    pub region: Option<String>,
    pub supervisor: Option<String>,
    pub nomination: Option<String>,
    pub age_group: Option<String>,
    pub award: Option<Award>,
    /// With `award`: the organizer's words for it (`None` prints the category's title).
    pub award_title: Option<String>,
}
