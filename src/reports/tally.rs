//! Counting a period's participations as they stream by, with numbers only: a breakdown's rows
//! are found by index (a key's number, or a competition-level value seen once per competition),
//! distinct persons are bits over the organization's dense person numbers, and a row's events are
//! counted as the competition changes (participations come a competition at a time).

use std::collections::HashMap;

use super::{Figures, Row};

/// Distinct person numbers: a short list while a row has few (sorted and deduplicated when
/// counted), bits once the list would be larger than the bits. A row of a thousand schools holds
/// its few dozen persons; a row of the whole period holds one bit per person.
#[derive(Debug)]
pub enum Persons {
    Few(Vec<u32>),
    Many(Bits),
}

impl Default for Persons {
    fn default() -> Self {
        Persons::Few(Vec::new())
    }
}

impl Persons {
    /// `universe`: how many person numbers there are (a list longer than universe / 32 turns
    /// into bits).
    pub fn insert(&mut self, person: u32, universe: usize) {
        match self {
            Persons::Few(list) => {
                list.push(person);
                if list.len().saturating_mul(32) > universe {
                    let mut bits = Bits::with_capacity(universe);
                    for p in list.iter() {
                        bits.set(*p);
                    }
                    *self = Persons::Many(bits);
                }
            }
            Persons::Many(bits) => bits.set(person),
        }
    }

    pub fn count(self) -> usize {
        match self {
            Persons::Few(mut list) => {
                list.sort_unstable();
                list.dedup();
                list.len()
            }
            Persons::Many(bits) => bits.count(),
        }
    }
}

/// A set of small numbers as bits; grows if a number is larger than expected (a person added
/// while the report ran).
#[derive(Debug, Default)]
pub struct Bits(Vec<u64>);

impl Bits {
    pub fn with_capacity(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }

    #[inline]
    pub fn set(&mut self, n: u32) {
        let word = (n / 64) as usize;
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (n % 64);
    }

    pub fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
}

/// One breakdown row being counted.
#[derive(Debug)]
struct Group {
    key: String,
    figures: Figures,
    persons: Persons,
    /// The competition counted last, so each is counted once.
    last_event: Option<u32>,
}

/// One breakdown's rows being counted.
#[derive(Debug, Default)]
pub struct Tally {
    groups: Vec<Group>,
    by_key: HashMap<String, usize>,
    /// A key number's row, once seen.
    by_number: Vec<Option<usize>>,
}

impl Tally {
    /// The row of a key (found by name: done once per competition, not per participation).
    pub fn group(&mut self, key: &str) -> usize {
        if let Some(at) = self.by_key.get(key) {
            return *at;
        }
        self.groups.push(Group {
            key: key.to_string(),
            figures: Figures::default(),
            persons: Persons::default(),
            last_event: None,
        });
        self.by_key.insert(key.to_string(), self.groups.len() - 1);
        self.groups.len() - 1
    }

    /// The row of a key's number; `names[number]` is its value (0 and unknown numbers: empty).
    #[inline]
    pub fn numbered(&mut self, number: i32, names: &[String]) -> usize {
        let at = usize::try_from(number).unwrap_or(0);
        if let Some(Some(group)) = self.by_number.get(at) {
            return *group;
        }
        let group = self.group(names.get(at).map_or("", String::as_str));
        if at >= self.by_number.len() {
            self.by_number.resize(at + 1, None);
        }
        self.by_number[at] = Some(group);
        group
    }

    /// Counts the competition in the row (once), with or without participations.
    #[inline]
    pub fn event(&mut self, group: usize, event: u32) {
        let g = &mut self.groups[group];
        if g.last_event != Some(event) {
            g.last_event = Some(event);
            g.figures.events += 1;
        }
    }

    /// Counts a participation in the row: the person once, the entry's win once.
    #[inline]
    pub fn add(&mut self, group: usize, person: u32, winner: bool, event: u32, universe: usize) {
        self.event(group, event);
        let g = &mut self.groups[group];
        g.figures.participations += 1;
        g.figures.winners += usize::from(winner);
        g.persons.insert(person, universe);
    }

    /// Largest first, then by name; at most `limit` rows.
    pub fn rows(self, limit: usize) -> Vec<Row> {
        let mut rows: Vec<Row> = self
            .groups
            .into_iter()
            .map(|group| {
                let mut figures = group.figures;
                figures.persons = group.persons.count();
                Row {
                    key: group.key,
                    figures,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            (b.figures.participations, b.figures.events)
                .cmp(&(a.figures.participations, a.figures.events))
                .then_with(|| a.key.cmp(&b.key))
        });
        rows.truncate(limit);
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persons_are_counted_once_as_a_list_and_as_bits() {
        let mut few = Persons::default();
        for p in [5, 3, 5, 9, 3] {
            few.insert(p, 1_000_000);
        }
        assert!(matches!(few, Persons::Few(_)));
        assert_eq!(few.count(), 3);
        let mut many = Persons::default();
        for p in (0..200).chain(0..200) {
            many.insert(p, 256);
        }
        assert!(matches!(many, Persons::Many(_)));
        assert_eq!(many.count(), 200);
        // A number beyond the expected universe still counts.
        let mut bits = Bits::with_capacity(10);
        bits.set(1000);
        bits.set(1000);
        assert_eq!(bits.count(), 1);
    }

    #[test]
    fn a_row_counts_each_event_once() {
        let mut tally = Tally::default();
        let names = vec![String::new(), "A".to_string()];
        let a = tally.numbered(1, &names);
        assert_eq!(tally.numbered(1, &names), a);
        tally.add(a, 1, true, 0, 10);
        tally.add(a, 2, false, 0, 10);
        tally.add(a, 1, false, 1, 10);
        let empty = tally.numbered(0, &names);
        tally.event(empty, 2);
        let rows = tally.rows(10);
        assert_eq!(rows[0].key, "A");
        assert_eq!(
            rows[0].figures,
            Figures {
                events: 2,
                participations: 3,
                persons: 2,
                winners: 1
            }
        );
        assert_eq!(rows[1].key, "");
        assert_eq!(rows[1].figures.events, 1);
    }
}
