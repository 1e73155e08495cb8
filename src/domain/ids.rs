//! Typed ids: an organization's, a competition's and a document's ids are all text in the database,
//! but a service function that takes an [`OrgId`] and a [`CompetitionId`] cannot be handed them the
//! other way round. They are made at the edge (an authenticated organizer, a path segment) and read
//! as `&str` where SQL takes the text.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> $name {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> $name {
                $name(id)
            }
        }
    };
}

typed_id!(
    /// An organization's id.
    OrgId
);
typed_id!(
    /// A competition's id.
    CompetitionId
);
typed_id!(
    /// An issued document's (a paper's) id.
    DocumentId
);
typed_id!(
    /// An application's id (sent through a competition's public form).
    ApplicationId
);
