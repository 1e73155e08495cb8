use super::{ExportError, Table};

/// UTF-8 with a BOM and `;`: what Russian-locale Excel opens into columns with Kazakh letters intact.
pub fn to_csv(table: &Table) -> Result<Vec<u8>, ExportError> {
    let fail = |e: csv::Error| ExportError(e.to_string());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(&table.header).map_err(fail)?;
    for line in &table.rows {
        writer.write_record(line).map_err(fail)?;
    }
    writer.into_inner().map_err(|e| ExportError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::results_table;
    use super::super::tests::entry;
    use super::*;
    use crate::domain::Award;
    use crate::i18n::Lang;
    use crate::intake::{read_results, IntakeLimits};

    #[test]
    fn an_exported_table_reads_back() {
        let entries = [
            entry("Сейтқали Айгерім", Award::Degree(2)),
            entry("Ким Анна", Award::GrandPrix),
        ];
        for lang in Lang::ALL {
            let bytes = to_csv(&results_table(&entries, lang)).unwrap();
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
            let drafts = read_results(&bytes, IntakeLimits::default()).unwrap();
            let got: Vec<(&str, Award)> = drafts.iter().map(|d| (d.holder.as_str(), d.award)).collect();
            assert_eq!(
                got,
                vec![
                    ("Сейтқали Айгерім", Award::Degree(2)),
                    ("Ким Анна", Award::GrandPrix)
                ],
                "{lang:?}"
            );
            assert_eq!(drafts[0].school.as_deref(), Some("'@SUM(1+1)"));
        }
    }
}
