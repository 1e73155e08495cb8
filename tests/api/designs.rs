//! The built-in designs, filled with the longest realistic data, read back from the PDF with the
//! tools a printer or a phone would use: text stays inside its boxes, extracts exactly, the file
//! is sound and the QR code decodes. A reference picture of each design catches layout changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use gramota::domain::DocumentPayload;
use gramota::i18n::Lang;
use gramota::issuance::render::design::Element;
use gramota::issuance::render::images::Picture;
use gramota::issuance::render::{Design, Renderer};

use crate::helpers::{collapse_whitespace, decode_qr, pdf_text, tool};

const PT_PER_MM: f32 = 72.0 / 25.4;
const URL: &str =
    "https://gramota.example.kz/v/ABCDEFGHJKMNPQRS#QRE2EAJHARCL6DA2T2QQRE2EAJHARCL6DA2T2QQRE2EAJHARCL6DA2T2Q";

/// Twelve pupils with long double-barrelled Kazakh names: the longest list a letter prints.
fn many_pupils() -> Vec<String> {
    [
        "Әбілқайырова-Сәтбаева Аружан-Гүлназ Нұрланқызы",
        "Құдайбергенов Нұрсұлтан Серікболұлы",
        "Жұмабекова Іңкәр Ғалымжанқызы",
        "Өтегенов Өмірзақ Дәулетұлы",
        "Нұрланұлы Ерасыл",
        "Сейтқали Айгерім Нұрланқызы",
        "Үсенова Ұлжан Бауыржанқызы",
        "Ғабитов Ғалым Қайратұлы",
        "Іскакова Әсем Ерланқызы",
        "Һашимов Дәулет Тимурұлы",
        "Иванова-Петрова Анастасия Александровна",
        "Ким Виктория Олеговна",
    ]
    .map(String::from)
    .to_vec()
}

/// The paper `award` makes of `base`: a letter is for the supervisor and names the pupils; a
/// course certificate carries hours.
fn as_kind(base: DocumentPayload, award: &str) -> DocumentPayload {
    match award {
        "letter" => DocumentPayload {
            holder: base.supervisor.clone().unwrap_or_default(),
            supervisor: None,
            nomination: None,
            age_group: None,
            pupils: many_pupils(),
            ..base
        },
        "course" => DocumentPayload {
            hours: Some(144),
            ..base
        },
        _ => base,
    }
}

/// Every kind of paper a design prints.
const KINDS: [&str; 4] = ["degree_1", "participant", "letter", "course"];

fn longest(lang: Lang, award: &str) -> DocumentPayload {
    as_kind(longest_paper(lang, award), award)
}

fn longest_paper(lang: Lang, award: &str) -> DocumentPayload {
    DocumentPayload {
        language: lang,
        award: award.into(),
        // As issuing writes it: the category's title in the paper's language.
        award_title: gramota::domain::Award::from_code(award)
            .map(|a| a.title(lang))
            .unwrap_or_default(),
        holder: "Әбілқайырова-Сәтбаева Аружан-Гүлназ Нұрланқызы".into(),
        team_members: vec![],
        school: Some("Коммунальное государственное учреждение «Школа-гимназия №112 имени Абая Құнанбайұлы»".into()),
        region: Some("Туркестанская область, Сайрамский район".into()),
        supervisor: Some("Құдайбергенова Гүлнар Серікболқызы, учитель казахского языка и литературы".into()),
        nomination: Some("Исследовательские проекты в области естественных наук".into()),
        age_group: Some("Учащиеся 9–11 классов (14–17 лет)".into()),
        competition: "Республиканский конкурс юных исследователей в области естественных наук «Зерде» среди учащихся 5–11 классов общеобразовательных школ".into(),
        issuer: "Республиканский учебно-методический центр дополнительного образования Министерства просвещения Республики Казахстан".into(),
        city: Some("Астана".into()),
        date: "2026-11-20".into(),
        valid_until: None,
        serial: "DVORETSA-2026-012345".into(),
        code: "ABCDEFGHJKMNPQRS".into(),
        pupils: vec![],
        hours: None,
        custom: Default::default(),
        signer: None,
        signer_title: None,
        team: None,
        reviewed: None,
        event: None,
        reason: None,
    }
}

fn typical(lang: Lang, award: &str) -> DocumentPayload {
    let mut paper = as_kind(typical_paper(lang, award), award);
    paper.pupils.truncate(4);
    paper.hours = paper.hours.map(|_| 72);
    paper
}

fn typical_paper(lang: Lang, award: &str) -> DocumentPayload {
    DocumentPayload {
        holder: "Сейтқали Айгерім".into(),
        school: Some("№5 мектеп-гимназия".into()),
        region: Some("Абай облысы".into()),
        supervisor: Some("Қасымова Әлия".into()),
        nomination: Some("Ғылыми жоба".into()),
        age_group: Some("12–14 жас".into()),
        competition: "Жас зерттеушілердің республикалық байқауы".into(),
        issuer: "Семей қаласының оқушылар сарайы".into(),
        serial: "SEMEY-2026-000123".into(),
        ..longest_paper(lang, award)
    }
}

/// Words with their boxes in points from the top-left, from `pdftotext -bbox`.
fn words_with_boxes(pdf: &Path) -> Vec<(String, [f32; 4])> {
    let output = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let html = String::from_utf8_lossy(&output.stdout).into_owned();
    html.split("<word ")
        .skip(1)
        .filter_map(|chunk| {
            let attr = |name: &str| -> Option<f32> {
                let at = chunk.find(&format!("{name}=\""))? + name.len() + 2;
                chunk[at..].split('"').next()?.parse().ok()
            };
            let text = chunk.split('>').nth(1)?.split('<').next()?.to_string();
            Some((text, [attr("xMin")?, attr("yMin")?, attr("xMax")?, attr("yMax")?]))
        })
        .collect()
}

fn text_boxes(design: &Design) -> Vec<[f32; 4]> {
    design
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Text(t) => Some([
                t.area.x * PT_PER_MM,
                t.area.y * PT_PER_MM,
                (t.area.x + t.area.width) * PT_PER_MM,
                (t.area.y + t.area.height) * PT_PER_MM,
            ]),
            _ => None,
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn every_built_in_design_keeps_the_longest_texts_inside_their_boxes() {
    let renderer = Renderer::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let designs: Vec<Design> = renderer.built_in_designs().cloned().collect();
    assert!(!designs.is_empty());
    for design in &designs {
        let boxes = text_boxes(design);
        for lang in Lang::ALL {
            for award in KINDS {
                let payload = longest(lang, award);
                let pdf = renderer.render(&design.name, &payload, URL).unwrap();
                let path = write(
                    dir.path(),
                    &format!("{}-{}-{award}.pdf", design.name, lang.code()),
                    &pdf,
                );
                let label = path.display().to_string();
                // The figure for issue 3's note: bytes per paper of each design and kind; with
                // GRAMOTA_SAMPLES_DIR the papers are kept there to be looked at.
                eprintln!("bytes {} {} {award}: {}", design.name, lang.code(), pdf.len());
                if let Some(samples) = std::env::var_os("GRAMOTA_SAMPLES_DIR") {
                    std::fs::copy(&path, Path::new(&samples).join(path.file_name().unwrap())).unwrap();
                }

                let words = words_with_boxes(&path);
                assert!(words.len() > 20, "{label}: {} words", words.len());
                for (word, [x0, y0, x1, y1]) in &words {
                    let inside = boxes.iter().any(|[bx0, by0, bx1, by1]| {
                        *x0 >= bx0 - 1.0 && *x1 <= bx1 + 1.0 && *y0 >= by0 - 1.5 && *y1 <= by1 + 1.5
                    });
                    assert!(
                        inside,
                        "{label}: \"{word}\" at {x0},{y0}–{x1},{y1} is outside every text box"
                    );
                }

                let text = collapse_whitespace(&pdf_text(&path));
                assert!(
                    text.contains(&payload.holder),
                    "{label}: the name extracts exactly: {text}"
                );
                assert!(text.contains(&payload.serial), "{label}");
                for pupil in &payload.pupils {
                    assert!(
                        text.contains(pupil.as_str()),
                        "{label}: every pupil is named: {pupil}"
                    );
                }
                // The bilingual design's title is Kazakh whatever the competition's language.
                let title_lang = if design.name == "classic-kk-ru" {
                    Lang::Kk
                } else {
                    lang
                };
                let title = match (award, title_lang) {
                    ("letter", Lang::Kk) => "АЛҒЫС ХАТ",
                    ("letter", Lang::Ru) => "БЛАГОДАРСТВЕННОЕ ПИСЬМО",
                    ("letter", Lang::En) => "LETTER OF GRATITUDE",
                    ("degree_1", Lang::En) => "DIPLOMA",
                    ("degree_1", _) => "ДИПЛОМ",
                    (_, Lang::En) => "CERTIFICATE",
                    _ => "СЕРТИФИКАТ",
                };
                assert!(text.contains(title), "{label}: the title says what the paper is");
                if award == "course" {
                    let hours = match lang {
                        Lang::Kk => "144 академиялық сағат көлемінде",
                        Lang::Ru => "в объёме 144 академических часов",
                        Lang::En => "(144 academic hours)",
                    };
                    let bilingual_ru = "в объёме 144 академических часов";
                    assert!(
                        text.contains(hours)
                            || (design.name == "classic-kk-ru" && text.contains(bilingual_ru)),
                        "{label}: the hours are printed"
                    );
                } else {
                    assert!(
                        !text.contains("академи"),
                        "{label}: hours only on a course certificate"
                    );
                }
                if award == "letter" {
                    for label_word in ["Номинация", "Аталым", "Nomination", "Руководитель", "Жетекшісі"]
                    {
                        assert!(
                            !text.contains(label_word),
                            "{label}: a letter has no {label_word}"
                        );
                    }
                }
                let (sound, report) = tool("qpdf", &["--check"], &path);
                assert!(sound, "{label}: {report}");
                assert_eq!(decode_qr(&path), URL, "{label}: the QR code decodes at 150 dpi");
            }
        }
    }
}

/// Renders every built-in design at 40 dpi in grey and compares it with the reference picture
/// in `tests/designs/`; `GRAMOTA_UPDATE_REFERENCES=1` rewrites the references after an intended
/// change (look at them before committing).
#[test]
fn built_in_designs_look_as_their_reference_pictures() {
    let renderer = Renderer::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let references = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/designs");
    let update = std::env::var("GRAMOTA_UPDATE_REFERENCES").is_ok_and(|v| v == "1");
    for design in renderer.built_in_designs() {
        for (lang, award) in [
            (Lang::Kk, "degree_1"),
            (Lang::Ru, "participant"),
            (Lang::Ru, "letter"),
            (Lang::Kk, "course"),
        ] {
            let name = format!("{}-{}-{award}", design.name, lang.code());
            let pdf = renderer.render(&design.name, &typical(lang, award), URL).unwrap();
            let path = write(dir.path(), &format!("{name}.pdf"), &pdf);
            let prefix = dir.path().join(&name);
            let status = Command::new("pdftoppm")
                .args(["-r", "40", "-gray", "-png", "-singlefile"])
                .arg(&path)
                .arg(&prefix)
                .status()
                .expect("pdftoppm");
            assert!(status.success());
            let rendered = prefix.with_extension("png");
            let reference = references.join(format!("{name}.png"));
            if update {
                std::fs::create_dir_all(&references).unwrap();
                std::fs::copy(&rendered, &reference).unwrap();
                continue;
            }
            let expected = image::open(&reference)
                .unwrap_or_else(|e| {
                    panic!(
                        "{}: {e}; run with GRAMOTA_UPDATE_REFERENCES=1",
                        reference.display()
                    )
                })
                .to_luma8();
            let actual = image::open(&rendered).unwrap().to_luma8();
            assert_eq!(
                expected.dimensions(),
                actual.dimensions(),
                "{name}: page size changed"
            );
            let differing = expected
                .pixels()
                .zip(actual.pixels())
                .filter(|(a, b)| a[0].abs_diff(b[0]) > 48)
                .count();
            let share = differing as f64 / f64::from(expected.width() * expected.height());
            assert!(
                share < 0.002,
                "{name}: {:.2} % of the pixels differ from the reference",
                share * 100.0
            );
        }
    }
}

#[test]
fn a_background_jpeg_goes_into_the_pdf_byte_for_byte() {
    let mut jpeg = std::io::Cursor::new(Vec::new());
    let noise = image::RgbImage::from_fn(600, 424, |x, y| {
        image::Rgb([(x * 7 % 256) as u8, (y * 13 % 256) as u8, ((x ^ y) % 256) as u8])
    });
    image::DynamicImage::ImageRgb8(noise)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let jpeg = jpeg.into_inner();
    let renderer = Renderer::new().unwrap();
    let mut design: Design = renderer.built_in_designs().next().unwrap().clone();
    design.background = Some("blank.jpg".into());
    let pictures = BTreeMap::from([("blank.jpg".to_string(), Picture::check(jpeg.clone()).unwrap())]);
    let prepared = renderer.prepare(&design, &pictures).unwrap();
    let pdf = renderer
        .render_prepared(&prepared, &typical(Lang::Kk, "degree_1"), URL, &pictures, None)
        .unwrap()
        .into_bytes();
    assert!(
        pdf.windows(jpeg.len()).any(|w| w == jpeg.as_slice()),
        "the JPEG is embedded unchanged"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "background.pdf", &pdf);
    let (sound, report) = tool("qpdf", &["--check"], &path);
    assert!(sound, "{report}");
    assert_eq!(decode_qr(&path), URL);
}

/// `{hours}` counts as Russian counts ("1 академический час", "2 академических часа", "5
/// академических часов"), and `{custom.Класс}` prints the results file's own column.
#[test]
fn a_design_of_ones_own_prints_hours_and_custom_columns() {
    let design = Design::parse(
        r#"{"format":1,"name":"own","page":{"width":210,"height":148},
            "elements":[
              {"type":"text","text":"{holder}","font":"serif-bold","size":20,"box":{"x":10,"y":10,"width":190,"height":12}},
              {"type":"text","text":"Объём: {hours}","font":"serif","size":14,"box":{"x":10,"y":30,"width":190,"height":8},"only":"course"},
              {"type":"text","text":"Класс: {custom.класс}","font":"serif","size":14,"box":{"x":10,"y":42,"width":190,"height":8}},
              {"type":"text","text":"Смена: {custom.Смена}","font":"serif","size":14,"box":{"x":10,"y":54,"width":190,"height":8}},
              {"type":"qr","x":160,"y":100,"size":32}]}"#,
    )
    .unwrap();
    let renderer = Renderer::new().unwrap();
    let prepared = renderer.prepare(&design, &BTreeMap::new()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (hours, words) in [
        (1, "1 академический час"),
        (2, "2 академических часа"),
        (5, "5 академических часов"),
        (22, "22 академических часа"),
        (111, "111 академических часов"),
    ] {
        let mut payload = typical(Lang::Ru, "course");
        payload.hours = Some(hours);
        payload.custom = BTreeMap::from([("Класс".to_string(), "9 «А»".to_string())]);
        let pdf = renderer
            .render_prepared(&prepared, &payload, URL, &BTreeMap::new(), None)
            .unwrap()
            .into_bytes();
        let path = write(dir.path(), &format!("own-{hours}.pdf"), &pdf);
        let text = collapse_whitespace(&pdf_text(&path));
        assert!(text.contains(&format!("Объём: {words}")), "{text}");
        assert!(
            text.contains("Класс: 9 «А»"),
            "the header matched whatever its case: {text}"
        );
        assert!(
            !text.contains("Смена"),
            "a column the row lacks leaves its text out: {text}"
        );
    }
    let diploma = renderer
        .render_prepared(
            &prepared,
            &typical(Lang::Ru, "degree_1"),
            URL,
            &BTreeMap::new(),
            None,
        )
        .unwrap()
        .into_bytes();
    let path = write(dir.path(), "own-diploma.pdf", &diploma);
    assert!(
        !pdf_text(&path).contains("Объём"),
        "only a course certificate prints hours"
    );
}
