//! Renders the shared reference diploma (`../shared/peers/common/LAYOUT.md`) N times the way the
//! service issues papers: each signed, rendered, hashed and written to its own file, on every
//! core; again, kept as the service's document store keeps them (the design's start once, each
//! thread's papers packed a batch part to a file and flushed to disk); again kept so, each paper
//! with its Open Badges credential made, signed and embedded as the service issues them (the
//! credential's cost: compare the two kept lines, measured in the same rounds); then once more as
//! one combined print PDF. Prints one JSON line per measurement.
//!
//! `cargo bench --bench render -- ASSETS_DIR [N] [ROUNDS]` where ASSETS_DIR holds the peers'
//! `background.jpg` and `participants.tsv` (made by `../shared/peers/run.sh`). `benches/compare.sh`
//! runs it beside the peers.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use gramota::credentials::{AtIssue, Paper as CredentialPaper};
use gramota::domain::{DocumentPayload, Organization};
use gramota::i18n::Lang;
use gramota::issuance::render::images::Picture;
use gramota::issuance::render::{Attachment, Design, PaperPdf, PreparedDesign, Renderer};
use gramota::issuance::storage::DocumentStore;
use gramota::trust::{Keyring, RecordFields};

struct Paper {
    payload: DocumentPayload,
}

fn main() {
    // `cargo test --all-targets` runs bench binaries without `--bench`: nothing to measure then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("render bench: run it with `cargo bench --bench render` or benches/compare.sh");
        return;
    }
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let assets = PathBuf::from(args.first().map_or("/tmp/peers-work/common", String::as_str));
    let count: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let rounds: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(5);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());

    let renderer = Renderer::new().expect("fonts");
    let design = Design::parse(include_str!("reference-design.json")).expect("reference design");
    let background = std::fs::read(assets.join("background.jpg"))
        .expect("background.jpg: run ../shared/peers/run.sh first");
    let pictures = BTreeMap::from([(
        "background.jpg".to_string(),
        Picture::check(background).expect("JPEG"),
    )]);
    let papers = participants(&assets.join("participants.tsv"), count);
    let keys_dir = tempfile::tempdir().expect("temp dir");
    let keyring = Keyring::open_or_create(keys_dir.path()).expect("keys");
    let key = keyring.active().expect("key");
    let out_dir = tempfile::tempdir_in(std::env::var("BENCH_OUT").unwrap_or_else(|_| "/var/tmp".into()))
        .expect("out dir");

    let store = DocumentStore::new(&out_dir.path().join("store"));
    let organization = organization();
    let at_issue = AtIssue::new("https://example.org", &organization, key);
    // Made and signed when a batch is reserved, as the service does; rendering embeds them.
    let credentials: Vec<String> = papers
        .iter()
        .enumerate()
        .map(|(i, paper)| make_credential(&at_issue, paper, i))
        .collect();

    let mut separate = Vec::new();
    let mut stored = Vec::new();
    let mut credentialed = Vec::new();
    let mut combined = Vec::new();
    let mut bytes_per_pdf = 0;
    let mut stored_bytes_per_pdf = 0;
    let mut credentialed_bytes_per_pdf = 0;
    let mut combined_bytes = 0;
    let render = |prepared: &PreparedDesign, keep: &(dyn Fn(usize, &[PaperPdf]) -> usize + Sync)| {
        render_each(&renderer, prepared, &papers, &pictures, key, None, threads, keep)
    };
    for round in 0..rounds {
        // Every round writes new files, as issuing does, into folders of its own.
        let whole_dir = out_dir.path().join(format!("round-{round}"));
        let stored_folder = format!("round-{round}");
        let stored_dir = out_dir
            .path()
            .join("store")
            .join("documents")
            .join(&stored_folder);
        for dir in [&whole_dir, &stored_dir] {
            std::fs::create_dir_all(dir).expect("round folder");
        }
        // Preparing the design (font subsets, background object) is part of every batch.
        let started = Instant::now();
        let prepared = renderer.prepare(&design, &pictures).expect("prepare");
        let written = render(&prepared, &|first, pdfs| {
            let mut written = 0;
            for (i, pdf) in (first..).zip(pdfs) {
                let mut file =
                    std::fs::File::create(whole_dir.join(format!("{:06}.pdf", i + 1))).expect("create");
                for part in pdf.parts() {
                    file.write_all(part).expect("write");
                    written += part.len();
                }
            }
            written
        });
        separate.push(started.elapsed().as_secs_f64());
        bytes_per_pdf = written / papers.len();

        // The same papers kept as the service keeps them: the design's start once, each thread's
        // part of a claimed chunk in one pack.
        let started = Instant::now();
        let prepared = renderer.prepare(&design, &pictures).expect("prepare");
        render(&prepared, &|_, pdfs| {
            store.write_pack(&stored_folder, pdfs).expect("store");
            0
        });
        stored.push(started.elapsed().as_secs_f64());
        // Again, each paper with its credential made, signed and embedded.
        let started = Instant::now();
        let prepared = renderer.prepare(&design, &pictures).expect("prepare");
        let with_folder = format!("{stored_folder}-credentials");
        std::fs::create_dir_all(out_dir.path().join("store").join("documents").join(&with_folder))
            .expect("round folder");
        render_each(
            &renderer,
            &prepared,
            &papers,
            &pictures,
            key,
            Some(&credentials),
            threads,
            &|_, pdfs| {
                store.write_pack(&with_folder, pdfs).expect("store");
                0
            },
        );
        credentialed.push(started.elapsed().as_secs_f64());
        credentialed_bytes_per_pdf =
            dir_bytes(&out_dir.path().join("store").join("documents").join(&with_folder)) / papers.len();

        let shared_dir = out_dir.path().join("store").join("documents").join("shared");
        stored_bytes_per_pdf = (dir_bytes(&stored_dir) + dir_bytes(&shared_dir)) / papers.len();

        // The print file is made from issued papers, whose signed records are stored: signing is
        // not part of it.
        let urls: Vec<String> = papers.iter().map(|p| signed_url(&p.payload, key)).collect();
        let started = Instant::now();
        combined_bytes = write_combined(
            &renderer,
            &prepared,
            &papers,
            &urls,
            threads,
            &out_dir.path().join("combined.pdf"),
        );
        combined.push(started.elapsed().as_secs_f64());
    }
    // What issuing adds per paper on the one thread that reserves a batch: the QR record's
    // signature (as before) and the credential made and signed (new), each timed alone.
    let started = Instant::now();
    for paper in &papers {
        std::hint::black_box(signed_url(&paper.payload, key));
    }
    let record_us = started.elapsed().as_secs_f64() * 1e6 / papers.len() as f64;
    let started = Instant::now();
    let mut credential_bytes = 0;
    for (i, paper) in papers.iter().enumerate() {
        credential_bytes += make_credential(&at_issue, paper, i).len();
    }
    let credential_us = started.elapsed().as_secs_f64() * 1e6 / papers.len() as f64;
    println!(
        "{{\"tool\":\"gramota\",\"mode\":\"made at reservation, one thread\",\"n\":{},\"record_signed_us_per_paper\":{record_us:.1},\"credential_made_and_signed_us_per_paper\":{credential_us:.1},\"credential_bytes\":{}}}",
        papers.len(),
        credential_bytes / papers.len()
    );
    let rss_mb = peak_rss_kb() as f64 / 1024.0;
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (s, k, c) = (median(&mut separate), median(&mut stored), median(&mut combined));
    let w = median(&mut credentialed);
    let n = papers.len() as f64;
    println!(
        "{{\"tool\":\"gramota\",\"mode\":\"separate signed PDFs, {threads} threads\",\"n\":{},\"rounds\":{rounds},\"median_s\":{s:.3},\"diplomas_per_s\":{:.1},\"ms_per_diploma\":{:.3},\"bytes_per_pdf\":{bytes_per_pdf},\"peak_rss_mb\":{rss_mb:.1}}}",
        papers.len(),
        n / s,
        s * 1000.0 / n
    );
    println!(
        "{{\"tool\":\"gramota\",\"mode\":\"signed PDFs kept as the service keeps them (the design's start once, packed), {threads} threads\",\"n\":{},\"rounds\":{rounds},\"median_s\":{k:.3},\"diplomas_per_s\":{:.1},\"ms_per_diploma\":{:.3},\"stored_bytes_per_pdf\":{stored_bytes_per_pdf}}}",
        papers.len(),
        n / k,
        k * 1000.0 / n
    );
    println!(
        "{{\"tool\":\"gramota\",\"mode\":\"signed PDFs with their Open Badges credential (made at reservation) embedded, kept as the service keeps them, {threads} threads\",\"n\":{},\"rounds\":{rounds},\"median_s\":{w:.3},\"diplomas_per_s\":{:.1},\"ms_per_diploma\":{:.3},\"own_bytes_per_pdf\":{credentialed_bytes_per_pdf},\"slower_than_without\":\"{:.1}%\"}}",
        papers.len(),
        n / w,
        w * 1000.0 / n,
        (w / k - 1.0) * 100.0
    );
    println!(
        "{{\"tool\":\"gramota\",\"mode\":\"combined print PDF, {threads} threads\",\"n\":{},\"rounds\":{rounds},\"median_s\":{c:.3},\"pages_per_s\":{:.1},\"bytes\":{combined_bytes},\"bytes_per_page\":{}}}",
        papers.len(),
        n / c,
        combined_bytes / papers.len()
    );
}

/// Papers a thread renders before keeping them: its part of a chunk the service claims
/// (`GRAMOTA_ISSUE_CHUNK_SIZE`, 256) on two cores.
const PART: usize = 128;

/// Signs, renders and hashes every paper on `threads` threads, handing each thread's papers to
/// `keep` a part at a time with the index of the part's first; `keep` returns the bytes it wrote.
/// With `credentials`, each paper's credential (made at reservation) is embedded too. Returns the
/// bytes written in all.
#[allow(clippy::too_many_arguments)]
fn render_each(
    renderer: &Renderer,
    prepared: &PreparedDesign,
    papers: &[Paper],
    pictures: &BTreeMap<String, Picture>,
    key: &gramota::trust::keys::Key,
    credentials: Option<&[String]>,
    threads: usize,
    keep: &(dyn Fn(usize, &[PaperPdf]) -> usize + Sync),
) -> usize {
    let next = AtomicUsize::new(0);
    let total_bytes = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let first = next.fetch_add(PART, Ordering::Relaxed);
                if first >= papers.len() {
                    break;
                }
                let part = &papers[first..papers.len().min(first + PART)];
                let pdfs: Vec<PaperPdf> = part
                    .iter()
                    .enumerate()
                    .map(|(i, paper)| {
                        let url = signed_url(&paper.payload, key);
                        let jwt = credentials.map(|all| all[first + i].as_str());
                        let attachment = jwt.map(|jwt| Attachment {
                            name: "credential.jwt",
                            media_type: "application/vc+jwt",
                            description: "Open Badges 3.0 credential (VC-JWT)",
                            relationship: "Alternative",
                            bytes: jwt.as_bytes(),
                        });
                        let pdf = renderer
                            .render_prepared(prepared, &paper.payload, &url, pictures, attachment.as_ref())
                            .expect("render");
                        let _digest = pdf.sha256_hex();
                        pdf
                    })
                    .collect();
                total_bytes.fetch_add(keep(first, &pdfs), Ordering::Relaxed);
            });
        }
    });
    total_bytes.into_inner()
}

/// The issuing organization of the reference papers, with its names in three languages.
fn organization() -> Organization {
    Organization {
        id: "0190a1b2-0000-7000-8000-0000000000aa".into(),
        slug: "rgpo".into(),
        name_kk: Some("Республикалық ғылыми-практикалық орталығы".into()),
        name_ru: Some("Республиканский научно-практический центр".into()),
        name_en: Some("Republican Scientific and Practical Center".into()),
        serial_prefix: "RGPO".into(),
        city: Some("Алматы".into()),
        head_name: None,
        head_title: None,
        address: None,
        phone: None,
        email: None,
        website: Some("https://rgpo.example.kz".into()),
        pictures: BTreeMap::new(),
    }
}

/// A paper's credential as the service makes it when the paper is reserved.
fn make_credential(at_issue: &AtIssue<'_>, paper: &Paper, i: usize) -> String {
    let id = format!("0190a1b2-0000-7000-8000-{i:012}");
    at_issue
        .sign(
            CredentialPaper {
                id: &id,
                competition_id: "0190a1b2-0000-7000-8000-000000000000",
                serial: &paper.payload.serial,
                payload: &paper.payload,
                issued_at: "2025-05-20T10:00:00Z",
            },
            &paper.payload.code,
            i64::try_from(i).expect("place"),
        )
        .expect("credential")
}

fn dir_bytes(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").metadata().expect("size").len() as usize)
        .sum()
}

fn signed_url(payload: &DocumentPayload, key: &gramota::trust::keys::Key) -> String {
    let fields: RecordFields = payload.record_fields();
    let record = fields.sign(key).expect("sign");
    format!("https://example.org/v/{}#{record}", payload.code)
}

/// The print file as the service writes it: every paper's letters checked against the design's
/// subsets first, then pages drawn on every core a slice at a time, written in order.
fn write_combined(
    renderer: &Renderer,
    prepared: &PreparedDesign,
    papers: &[Paper],
    urls: &[String],
    threads: usize,
    path: &Path,
) -> usize {
    let part = papers.len().div_ceil(threads);
    std::thread::scope(|scope| {
        for (chunk, chunk_urls) in papers.chunks(part).zip(urls.chunks(part)) {
            scope.spawn(move || {
                for (paper, url) in chunk.iter().zip(chunk_urls) {
                    prepared.check(&paper.payload, url).expect("inside the subsets");
                }
            });
        }
    });
    let file = BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut combined = prepared.combined(file, "Reference diplomas").expect("start");
    for (slice, slice_urls) in papers.chunks(512).zip(urls.chunks(512)) {
        let part = slice.len().div_ceil(threads);
        let pages: Vec<Vec<u8>> = std::thread::scope(|scope| {
            let handles: Vec<_> = slice
                .chunks(part)
                .zip(slice_urls.chunks(part))
                .map(|(chunk, chunk_urls)| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .zip(chunk_urls)
                            .map(|(paper, url)| {
                                prepared
                                    .print_page(renderer.fonts(), &paper.payload, url)
                                    .expect("page")
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("thread"))
                .collect()
        });
        for (paper, page) in slice.iter().zip(&pages) {
            combined.add_page(page, &paper.payload).expect("page");
        }
    }
    combined.finish().expect("finish");
    std::fs::metadata(path).map_or(0, |m| m.len() as usize)
}

fn participants(path: &Path, count: usize) -> Vec<Paper> {
    let text = std::fs::read_to_string(path).expect("participants.tsv: run ../shared/peers/run.sh first");
    let rows: Vec<(usize, String)> = text
        .lines()
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let no = cells.next()?.trim().parse().ok()?;
            Some((no, cells.next()?.trim().to_string()))
        })
        .collect();
    (0..count)
        .map(|i| {
            let (no, name) = &rows[i % rows.len()];
            Paper {
                payload: DocumentPayload {
                    language: Lang::Kk,
                    award: "participant".into(),
                    award_title: "Қатысушы".into(),
                    holder: name.clone(),
                    team_members: vec![],
                    school: None,
                    region: None,
                    supervisor: None,
                    nomination: None,
                    age_group: None,
                    competition: "Қазақ тілі мен әдебиеті пәнінен республикалық олимпиада".into(),
                    issuer: "Республикалық ғылыми-практикалық орталығы".into(),
                    city: Some("Алматы".into()),
                    date: "2025-05-20".into(),
                    valid_until: None,
                    serial: format!("{no:06}"),
                    code: gramota::domain::VerificationCode::generate().as_str().to_string(),
                    pupils: vec![],
                    hours: None,
                    custom: Default::default(),
                    signer: None,
                    signer_title: None,
                    team: None,
                    reviewed: None,
                    event: None,
                    reason: None,
                },
            }
        })
        .collect()
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
