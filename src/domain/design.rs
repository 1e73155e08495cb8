//! Organizers' own designs as stored: a name in an organization and numbered versions that never
//! change, and the reference a document keeps to the exact design it was rendered with.

use std::collections::BTreeMap;
use std::fmt;

/// Which design a document is rendered with: a built-in one by name, or one version of an
/// organization's own design, written `DESIGN_ID@VERSION`. Built-in names never contain `@`.
/// Either may be dressed with the organization's default pictures for the roles it has no
/// picture of its own for, written `BASE|logo=SHA256|stamp=SHA256`: pictures are kept by content,
/// so the reference a paper records says exactly what it drew, and a later change of the
/// organization's pictures never touches it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DesignRef {
    BuiltIn(String),
    Own {
        design_id: String,
        version: i32,
    },
    Dressed {
        base: Box<DesignRef>,
        /// Role (`logo`, `stamp`, `signature`) → SHA-256 of the stored picture.
        pictures: BTreeMap<String, String>,
    },
}

impl DesignRef {
    pub fn parse(text: &str) -> DesignRef {
        if let Some((base, dress)) = text.split_once('|') {
            let pictures = dress
                .split('|')
                .filter_map(|pair| pair.split_once('='))
                .map(|(role, digest)| (role.to_string(), digest.to_string()))
                .collect();
            return DesignRef::Dressed {
                base: Box::new(DesignRef::parse(base)),
                pictures,
            };
        }
        match text.rsplit_once('@') {
            Some((id, version)) => match version.parse() {
                Ok(version) => DesignRef::Own {
                    design_id: id.to_string(),
                    version,
                },
                Err(_) => DesignRef::BuiltIn(text.to_string()),
            },
            None => DesignRef::BuiltIn(text.to_string()),
        }
    }

    /// This design with `pictures` for the roles it has none for; itself when there are none.
    pub fn dressed(self, pictures: BTreeMap<String, String>) -> DesignRef {
        if pictures.is_empty() {
            return self;
        }
        DesignRef::Dressed {
            base: Box::new(self),
            pictures,
        }
    }
}

impl fmt::Display for DesignRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DesignRef::BuiltIn(name) => f.write_str(name),
            DesignRef::Own { design_id, version } => write!(f, "{design_id}@{version}"),
            DesignRef::Dressed { base, pictures } => {
                write!(f, "{base}")?;
                for (role, digest) in pictures {
                    write!(f, "|{role}={digest}")?;
                }
                Ok(())
            }
        }
    }
}

/// One version of an organization's own design.
#[derive(Debug, Clone)]
pub struct DesignVersion {
    pub design_id: String,
    pub organization_id: String,
    pub name: String,
    pub version: i32,
    pub latest_version: i32,
    /// The design JSON (`templates/designs/README.md`), as checked when the version was made.
    pub definition: String,
    /// Asset name → SHA-256 of the stored picture.
    pub pictures: BTreeMap<String, String>,
    pub created_at: String,
}

impl DesignVersion {
    pub fn reference(&self) -> DesignRef {
        DesignRef::Own {
            design_id: self.design_id.clone(),
            version: self.version,
        }
    }
}

/// A picture as stored, once per content.
#[derive(Debug, Clone)]
pub struct StoredPicture {
    pub sha256: String,
    pub kind: String,
    pub width: i32,
    pub height: i32,
    pub bytes: Vec<u8>,
}

/// A name an organizer gives a design: it is part of URLs, so letters, digits, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesignName(String);

impl DesignName {
    pub fn parse(text: &str) -> Option<DesignName> {
        let text = text.trim();
        let fits = (1..=60).contains(&text.chars().count())
            && text.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        fits.then(|| DesignName(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A picture's name inside a design (`background`, `logo`, `signature`, `stamp`, or another).
pub fn valid_asset_name(name: &str) -> bool {
    (1..=60).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_read_back() {
        let own = DesignRef::parse("0190-abc@3");
        assert_eq!(
            own,
            DesignRef::Own {
                design_id: "0190-abc".into(),
                version: 3
            }
        );
        assert_eq!(own.to_string(), "0190-abc@3");
        assert_eq!(DesignRef::parse("classic"), DesignRef::BuiltIn("classic".into()));
        let dressed = "0190-abc@3|logo=ab12|stamp=cd34";
        let parsed = DesignRef::parse(dressed);
        assert!(matches!(&parsed, DesignRef::Dressed { base, pictures }
            if **base == own && pictures["logo"] == "ab12" && pictures.len() == 2));
        assert_eq!(parsed.to_string(), dressed);
        assert_eq!(
            DesignRef::BuiltIn("classic".into())
                .dressed(BTreeMap::new())
                .to_string(),
            "classic"
        );
    }

    #[test]
    fn names_fit_in_urls() {
        assert!(DesignName::parse("Мой-диплом_2026").is_some());
        assert!(DesignName::parse("a/b").is_none());
        assert!(DesignName::parse("").is_none());
        assert!(valid_asset_name("background.jpg"));
        assert!(!valid_asset_name("../x"));
    }
}
