use serde::Serialize;

use crate::i18n::Lang;

/// An organization's short name in URLs and on the command line: lower-case Latin, digits, dashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSlug(String);

impl OrgSlug {
    pub fn parse(text: &str) -> Option<OrgSlug> {
        let text = text.trim();
        let valid = (2..=64).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !text.starts_with('-');
        valid.then(|| OrgSlug(text.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub id: String,
    pub slug: String,
    pub name_kk: Option<String>,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub serial_prefix: String,
    pub city: Option<String>,
    /// The head who signs the papers ("Ахметова Г.С."), printed by the signature line.
    pub head_name: Option<String>,
    /// The head's title in place of "Директор" ("Директор КГКП «…»", "И.о. директора").
    pub head_title: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// Default pictures by role (`logo`, `stamp`, `signature`) → SHA-256 of the stored picture.
    pub pictures: std::collections::BTreeMap<String, String>,
}

impl Organization {
    /// The issuer's name in a language, falling back to whichever name exists, then the slug.
    pub fn name(&self, lang: Lang) -> String {
        let preferred = match lang {
            Lang::Kk => &self.name_kk,
            Lang::Ru => &self.name_ru,
            Lang::En => &self.name_en,
        };
        [preferred, &self.name_ru, &self.name_kk, &self.name_en]
            .into_iter()
            .flatten()
            .next()
            .cloned()
            .unwrap_or_else(|| self.slug.clone())
    }
}
