//! Who reviews what: a competition of 1,200 works cannot be read by every judge, so each entry goes
//! to N judges at random, never to a judge from the entry's own organization nor outside the
//! judge's panel (the nominations and age groups they review), with the judges' loads as even as the conflicts
//! and panels allow (differing by at most one). Pure: the caller gives the random source, so a
//! test can fix it.

use rand::seq::SliceRandom;
use rand::Rng;

use super::jury::Judge;

/// An entry to give to judges, with the organization that may conflict with a judge's.
pub struct ToAssign<'a> {
    pub entry_id: &'a str,
    pub organization: Option<&'a str>,
    pub nomination: Option<&'a str>,
    pub age_group: Option<&'a str>,
}

/// A judge with the nominations and age groups of their panel (`None`: every one).
pub struct Reviewer<'a> {
    pub judge: &'a Judge,
    pub panel: Option<&'a [String]>,
    pub ages: Option<&'a [String]>,
}

impl Reviewer<'_> {
    fn may_review(&self, entry: &ToAssign<'_>) -> bool {
        let key = |s: &str| super::entry::normalize_text(s).to_lowercase();
        let within = |list: Option<&[String]>, value: Option<&str>| {
            list.is_none_or(|list| value.is_some_and(|v| list.iter().any(|l| key(l) == key(v))))
        };
        !self.judge.has_conflict_with(entry.organization)
            && within(self.panel, entry.nomination)
            && within(self.ages, entry.age_group)
    }
}

/// Gives each entry `per_entry` judges. Refused, with the entries that cannot have that many,
/// when too few judges of their nomination's panel are free of a conflict with them.
pub fn assign(
    entries: &[ToAssign<'_>],
    judges: &[Reviewer<'_>],
    per_entry: usize,
    rng: &mut impl Rng,
) -> Result<Vec<(String, String)>, Vec<String>> {
    let eligible: Vec<Vec<usize>> = entries
        .iter()
        .map(|e| (0..judges.len()).filter(|&j| judges[j].may_review(e)).collect())
        .collect();
    let short: Vec<String> = entries
        .iter()
        .zip(&eligible)
        .filter(|(_, free)| free.len() < per_entry)
        .map(|(e, _)| e.entry_id.to_string())
        .collect();
    if !short.is_empty() {
        return Err(short);
    }
    // The most constrained entries first, in random order among equals, so the free ones even out
    // the loads at the end.
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.shuffle(rng);
    order.sort_by_key(|&e| eligible[e].len());
    let mut loads = vec![0usize; judges.len()];
    let mut given: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for e in order {
        let mut free = eligible[e].clone();
        free.shuffle(rng);
        free.sort_by_key(|&j| loads[j]);
        for &j in free.iter().take(per_entry) {
            loads[j] += 1;
            given[e].push(j);
        }
    }
    even_out(&eligible, &mut given, &mut loads);
    Ok(given
        .into_iter()
        .enumerate()
        .flat_map(|(e, js)| {
            js.into_iter()
                .map(move |j| (judges[j].judge.id.clone(), entries[e].entry_id.to_string()))
        })
        .collect())
}

/// Moves entries from the busiest judges to the least busy ones while some differ by more than
/// one and a move is allowed (the entry is free of conflict with the other judge and not theirs yet).
fn even_out(eligible: &[Vec<usize>], given: &mut [Vec<usize>], loads: &mut [usize]) {
    for _ in 0..given.len() * loads.len().max(1) {
        let mut moved = false;
        let mut by_load: Vec<usize> = (0..loads.len()).collect();
        by_load.sort_by_key(|&j| loads[j]);
        'pairs: for &low in &by_load {
            for &high in by_load.iter().rev() {
                if loads[high] <= loads[low] + 1 {
                    break;
                }
                let movable = (0..given.len()).find(|&e| {
                    given[e].contains(&high) && !given[e].contains(&low) && eligible[e].contains(&low)
                });
                if let Some(e) = movable {
                    given[e].retain(|&j| j != high);
                    given[e].push(low);
                    loads[high] -= 1;
                    loads[low] += 1;
                    moved = true;
                    break 'pairs;
                }
            }
        }
        if !moved {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use rand::SeedableRng;

    use super::*;

    fn judge(i: usize, organization: &str) -> Judge {
        Judge {
            id: format!("j{i}"),
            competition_id: "c".into(),
            name: format!("Judge {i}"),
            organization: organization.into(),
        }
    }

    #[test]
    fn every_entry_gets_its_judges_without_conflict_and_loads_stay_even() {
        let schools: Vec<String> = (0..20).map(|i| format!("Школа №{i}")).collect();
        let ids: Vec<String> = (0..301).map(|i| format!("e{i}")).collect();
        let entries: Vec<ToAssign> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| ToAssign {
                entry_id: id,
                organization: Some(schools[i % 20].as_str()),
                nomination: None,
                age_group: None,
            })
            .collect();
        let judges: Vec<Judge> = (0..9).map(|i| judge(i, &format!("школа  №{i}"))).collect();
        let reviewers = everyone(&judges);
        for seed in 0..20 {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let pairs = assign(&entries, &reviewers, 3, &mut rng).unwrap();
            let mut per_entry: HashMap<&str, HashSet<&str>> = HashMap::new();
            let mut loads: HashMap<&str, usize> = HashMap::new();
            for (j, e) in &pairs {
                per_entry.entry(e).or_default().insert(j);
                *loads.entry(j).or_default() += 1;
            }
            assert!(per_entry.values().all(|js| js.len() == 3));
            assert_eq!(per_entry.len(), 301);
            for (i, e) in entries.iter().enumerate() {
                for j in &per_entry[ids[i].as_str()] {
                    let judge = judges.iter().find(|x| x.id == *j).unwrap();
                    assert!(!judge.has_conflict_with(e.organization));
                }
            }
            let (min, max) = (loads.values().min().unwrap(), loads.values().max().unwrap());
            assert!(max - min <= 1, "seed {seed}: {loads:?}");
        }
    }

    #[test]
    fn too_few_free_judges_are_named() {
        let entries = [ToAssign {
            entry_id: "e",
            organization: Some("A"),
            nomination: Some("Вокал"),
            age_group: None,
        }];
        let judges = [judge(0, "A"), judge(1, "B")];
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        assert_eq!(
            assign(&entries, &everyone(&judges), 2, &mut rng),
            Err(vec!["e".to_string()])
        );
    }

    fn everyone(judges: &[Judge]) -> Vec<Reviewer<'_>> {
        judges
            .iter()
            .map(|judge| Reviewer {
                judge,
                panel: None,
                ages: None,
            })
            .collect()
    }

    #[test]
    fn a_panel_reviews_only_its_nominations() {
        let ids: Vec<String> = (0..30).map(|i| format!("e{i}")).collect();
        let nominations = ["Вокал", "Хореография", "Живопись"];
        let entries: Vec<ToAssign> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| ToAssign {
                entry_id: id,
                organization: None,
                nomination: Some(nominations[i % 3]),
                age_group: None,
            })
            .collect();
        let judges: Vec<Judge> = (0..6).map(|i| judge(i, "Гороно")).collect();
        let panels: Vec<Vec<String>> = (0..6).map(|i| vec![nominations[i / 2].to_lowercase()]).collect();
        let reviewers: Vec<Reviewer> = judges
            .iter()
            .zip(&panels)
            .map(|(judge, panel)| Reviewer {
                judge,
                panel: Some(panel.as_slice()),
                ages: None,
            })
            .collect();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let pairs = assign(&entries, &reviewers, 2, &mut rng).unwrap();
        assert_eq!(pairs.len(), 60);
        for (judge, entry) in &pairs {
            let j: usize = judge[1..].parse().unwrap();
            let e: usize = entry[1..].parse().unwrap();
            assert_eq!(j / 2, e % 3, "judge {judge} outside their panel on {entry}");
        }
    }
}
