//! The jury scenario: 3 judges × 40 entries × 3 criteria in 2 nominations, ranked by hand here and
//! compared with the service, with a tie and a conflict-of-interest refusal.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::helpers::TestApp;

const NOMINATIONS: [&str; 2] = ["Живопись", "Декоративно-прикладное искусство"];
const AGE_GROUPS: [&str; 2] = ["7–10 лет", "11–14 лет"];
const JUDGE_ORGANIZATIONS: [&str; 3] = ["Школа №1", "Лицей №100", "Гимназия №200"];
const WEIGHTS: [u32; 3] = [2, 1, 1];
const MAX_POINTS: u32 = 10;
/// Entries 2 and 4 (same nomination and age group) get full marks from everyone: a tie at the top.
const TIED: [usize; 2] = [2, 4];
/// Entry 1 alone gets full marks in its group: the Grand Prix.
const GRAND_PRIX: usize = 1;

struct Entry {
    holder: String,
    school: String,
    nomination: &'static str,
    age_group: &'static str,
}

fn entries() -> Vec<Entry> {
    (0..40)
        .map(|i| Entry {
            holder: format!("Сейтқали Участник{i:02}"),
            school: format!("Школа №{}", i % 5 + 1),
            nomination: NOMINATIONS[i / 20],
            age_group: AGE_GROUPS[i % 2],
        })
        .collect()
}

fn points(judge: usize, entry: usize, criterion: usize) -> u32 {
    if TIED.contains(&entry) || entry == GRAND_PRIX {
        MAX_POINTS
    } else {
        ((entry * 7 + judge * 3 + criterion * 5) % 10) as u32
    }
}

fn conflict(judge: usize, entry: &Entry) -> bool {
    JUDGE_ORGANIZATIONS[judge] == entry.school
}

fn judge_total(judge: usize, entry: usize) -> f64 {
    (0..3)
        .map(|c| f64::from(points(judge, entry, c) * WEIGHTS[c]))
        .sum()
}

/// Trimmed mean: the highest and the lowest judge dropped once there are three.
fn trimmed_mean(mut totals: Vec<f64>) -> f64 {
    totals.sort_by(f64::total_cmp);
    let kept = if totals.len() >= 3 {
        &totals[1..totals.len() - 1]
    } else {
        &totals[..]
    };
    kept.iter().sum::<f64>() / kept.len() as f64
}

/// (score, place, award code) per entry index, worked out without the service.
fn by_hand(list: &[Entry]) -> Vec<(f64, u32, String)> {
    let maximum = f64::from(MAX_POINTS * WEIGHTS.iter().sum::<u32>());
    let scores: Vec<f64> = (0..list.len())
        .map(|i| {
            trimmed_mean(
                (0..3)
                    .filter(|&j| !conflict(j, &list[i]))
                    .map(|j| judge_total(j, i))
                    .collect(),
            )
        })
        .collect();
    (0..list.len())
        .map(|i| {
            let rivals: Vec<usize> = (0..list.len())
                .filter(|&k| {
                    list[k].nomination == list[i].nomination && list[k].age_group == list[i].age_group
                })
                .collect();
            let place = 1 + rivals.iter().filter(|&&k| scores[k] > scores[i]).count() as u32;
            let sharing = rivals.iter().filter(|&&k| scores[k] == scores[i]).count();
            let award = match place {
                1 if sharing == 1 && scores[i] >= 0.9 * maximum => "grand_prix".to_string(),
                1..=3 => format!("place_{place}"),
                _ => "participant".to_string(),
            };
            (scores[i], place, award)
        })
        .collect()
}

fn sheet(criteria: &[String], judge: usize, entry: usize) -> Value {
    let map: serde_json::Map<String, Value> = criteria
        .iter()
        .enumerate()
        .map(|(c, id)| (id.clone(), json!(points(judge, entry, c))))
        .collect();
    Value::Object(map)
}

#[test]
fn jury_scores_become_places_and_papers() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Жас суретші 2026");
    let base = format!("/api/v1/competitions/{competition}");
    let list = entries();
    let mut csv = String::from("ФИО,Школа,Номинация,Возрастная категория\n");
    for e in &list {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            e.holder, e.school, e.nomination, e.age_group
        ));
    }
    let upload = app.upload(&competition, &csv);
    assert_eq!(upload.status, 200, "{}", upload.text());

    let criteria = app.post_json(
        &format!("{base}/criteria"),
        &json!([
            {"name": "Содержание", "max_points": MAX_POINTS, "weight": WEIGHTS[0]},
            {"name": "Оригинальность", "max_points": MAX_POINTS, "weight": WEIGHTS[1]},
            {"name": "Исполнение", "max_points": MAX_POINTS, "weight": WEIGHTS[2]},
        ]),
    );
    assert_eq!(criteria.status, 200, "{}", criteria.text());
    let rules = app.post_json(
        &format!("{base}/jury"),
        &json!({"aggregation": "trimmed_mean", "award_rule": {"kind": "places", "grand_prix_min_share": 0.9}}),
    );
    assert_eq!(rules.status, 200, "{}", rules.text());

    let judges: Vec<String> = JUDGE_ORGANIZATIONS
        .iter()
        .enumerate()
        .map(|(j, organization)| {
            let reply = app.post_json(
                &format!("{base}/judges"),
                &json!({"name": format!("Эксперт {j}"), "organization": organization}),
            );
            assert_eq!(reply.status, 201, "{}", reply.text());
            reply.json()["token"].as_str().expect("token").to_string()
        })
        .collect();

    // A judge sees the criteria and the entries, but is no organizer.
    let seen = app.get(&format!("{base}/criteria"), Some(&judges[0]));
    assert_eq!(seen.status, 200, "{}", seen.text());
    let criterion_ids: Vec<String> = seen
        .json()
        .as_array()
        .expect("criteria")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(criterion_ids.len(), 3);
    assert_eq!(
        app.get(&format!("{base}/documents"), Some(&judges[0])).status,
        401
    );
    let to_score = app.get(&format!("{base}/entries"), Some(&judges[0]));
    assert_eq!(to_score.status, 200, "{}", to_score.text());
    let to_score = to_score.json();
    let by_holder: HashMap<&str, &Value> = to_score
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| (e["holder"].as_str().expect("holder"), e))
        .collect();
    let ids: Vec<String> = list
        .iter()
        .map(|e| {
            by_holder[e.holder.as_str()]["id"]
                .as_str()
                .expect("id")
                .to_string()
        })
        .collect();
    assert_eq!(by_holder[list[0].holder.as_str()]["conflict_of_interest"], true);
    assert_eq!(by_holder[list[1].holder.as_str()]["conflict_of_interest"], false);
    let scores_of = |entry: usize| format!("{base}/entries/{}/scores", ids[entry]);
    assert_eq!(
        app.put_json(&scores_of(1), &app.token, &sheet(&criterion_ids, 0, 1))
            .status,
        401,
        "an organizer token is not a judge token"
    );

    let elsewhere = app.create_competition("Другой конкурс");
    let stranger = app.post_json(
        &format!("/api/v1/competitions/{elsewhere}/judges"),
        &json!({"name": "Чужой эксперт", "organization": "Лицей №100"}),
    );
    let stranger = stranger.json()["token"].as_str().expect("token").to_string();
    let reply = app.put_json(&scores_of(1), &stranger, &sheet(&criterion_ids, 0, 1));
    assert_eq!(reply.status, 404, "a judge of another competition");

    // A first sheet that the judge replaces later.
    let zeros: serde_json::Map<String, Value> =
        criterion_ids.iter().map(|id| (id.clone(), json!(0))).collect();
    assert_eq!(
        app.put_json(&scores_of(3), &judges[1], &Value::Object(zeros))
            .status,
        200
    );
    let too_many = json!({&criterion_ids[0]: 11, &criterion_ids[1]: 0, &criterion_ids[2]: 0});
    assert_eq!(app.put_json(&scores_of(3), &judges[1], &too_many).status, 400);

    for (j, token) in judges.iter().enumerate() {
        for (i, entry) in list.iter().enumerate() {
            let reply = app.put_json(&scores_of(i), token, &sheet(&criterion_ids, j, i));
            if conflict(j, entry) {
                assert_eq!(reply.status, 409, "{}", reply.text());
                assert!(reply.text().contains("конфликт интересов"), "{}", reply.text());
            } else {
                assert_eq!(reply.status, 200, "{}", reply.text());
            }
        }
    }
    // Had the refused sheet of full marks been stored, entry 0's median would be the higher of
    // the other two judges, not their mean.
    assert_ne!(judge_total(1, 0), judge_total(2, 0));

    let ranking = app.post_json(&format!("{base}/jury/results"), &json!({}));
    assert_eq!(ranking.status, 200, "{}", ranking.text());
    let ranking = ranking.json();
    let rows: HashMap<&str, &Value> = ranking
        .as_array()
        .expect("ranking")
        .iter()
        .map(|r| (r["entry_id"].as_str().expect("entry id"), r))
        .collect();
    assert_eq!(rows.len(), 40);
    let expected = by_hand(&list);
    for (i, (score, place, award)) in expected.iter().enumerate() {
        let row = rows[ids[i].as_str()];
        assert_eq!(row["holder"], list[i].holder.as_str());
        assert_eq!(row["nomination"], list[i].nomination);
        assert_eq!(row["age_group"], list[i].age_group);
        let got = row["score"].as_f64().expect("score");
        assert!((got - score).abs() < 1e-3, "entry {i}: {got} vs {score}");
        assert_eq!(row["place"], *place, "entry {i}");
        assert_eq!(row["award"], award.as_str(), "entry {i}");
    }
    for i in TIED {
        assert_eq!(rows[ids[i].as_str()]["place"], 1, "the tie shares first place");
        assert_eq!(rows[ids[i].as_str()]["award"], "place_1");
    }
    assert_eq!(rows[ids[GRAND_PRIX].as_str()]["award"], "grand_prix");
    let places_in_tied_group: Vec<u64> = ranking
        .as_array()
        .expect("ranking")
        .iter()
        .filter(|r| r["nomination"] == NOMINATIONS[0] && r["age_group"] == AGE_GROUPS[0])
        .map(|r| r["place"].as_u64().expect("place"))
        .collect();
    assert_eq!(
        &places_in_tied_group[..3],
        &[1, 1, 3],
        "the place after a tie skips"
    );

    // Scores are frozen into the criteria once given.
    let locked = app.post_json(
        &format!("{base}/criteria"),
        &json!([{"name": "Другое", "max_points": 5, "weight": 1}]),
    );
    assert_eq!(locked.status, 409, "{}", locked.text());

    app.issue_and_wait(&competition);
    let documents = app.documents(&competition);
    assert_eq!(documents.len(), 40);
    let award_of: HashMap<&str, &str> = list
        .iter()
        .zip(&expected)
        .map(|(e, (_, _, award))| (e.holder.as_str(), award.as_str()))
        .collect();
    for document in &documents {
        let holder = document["holder"].as_str().expect("holder");
        assert_eq!(document["award"], award_of[holder], "{holder}");
    }
    let spec = app.get("/api/v1/openapi.json", None).json();
    for path in [
        "criteria",
        "judges",
        "jury",
        "jury/results",
        "entries/{entry_id}/scores",
    ] {
        let path = format!("/api/v1/competitions/{{id}}/{path}");
        assert!(spec["paths"][&path].is_object(), "{path} is described");
    }
    let again = app.post_json(&format!("{base}/jury/results"), &json!({}));
    assert_eq!(again.status, 409, "awards are fixed once papers are issued");
}
