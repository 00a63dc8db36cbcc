//! Learners from a spreadsheet an ОО uploads (CSV or XLSX), or from the one-person form:
//! each row checked on its own, with an error per row, before anything is registered.
//!
//! Columns, in order: ИИН, full name, payment reference (may be empty). A first row that is
//! not an ИИН is a header. CSV may be separated by `;` (Excel in Russian) or `,`. Cells are
//! read as text: a formula (`=HYPERLINK(…)`) is not a name and is refused, never evaluated;
//! whatever a row holds is shown back only as escaped text.

use std::collections::BTreeMap;
use std::io::Cursor;

use synaq_core::{Code, Iin};

/// The largest file accepted.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The most rows a file may have.
pub const MAX_ROWS: usize = 5000;

/// One learner to register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnerRow {
    /// The spreadsheet's row number (1 = its first row), for messages.
    pub row: usize,
    /// ИИН.
    pub iin: Iin,
    /// Full name.
    pub name: String,
    /// Payment reference.
    pub payment: String,
}

/// Why a row was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The spreadsheet's row number.
    pub row: usize,
    /// What is wrong (`portal-row-…`).
    pub code: Code,
}

/// Which kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    /// Comma- or semicolon-separated text.
    Csv,
    /// An Excel workbook (its first sheet).
    Xlsx,
}

impl SheetKind {
    /// From the file name's extension.
    pub fn of(file_name: &str) -> Option<SheetKind> {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".csv") || lower.ends_with(".txt") {
            Some(SheetKind::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(SheetKind::Xlsx)
        } else {
            None
        }
    }
}

/// `s` trimmed, if it is 1..=`max` characters of text people write: no control characters, no
/// markup, not starting like a formula.
pub fn clean_text(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    let n = s.chars().count();
    let formula = s.starts_with(['=', '+', '-', '@']);
    let ok =
        n > 0 && n <= max && !formula && !s.chars().any(|c| c.is_control() || "<>{}".contains(c));
    ok.then(|| s.to_owned())
}

/// A person's full name: letters (any alphabet), spaces, `-`, `'`, `’`, `.`; from a letter.
fn clean_name(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = s.chars().count();
    let ok = (2..=200).contains(&n)
        && s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars().all(|c| c.is_alphabetic() || " -'’.".contains(c));
    ok.then_some(s)
}

fn clean_payment(s: &str) -> Option<String> {
    let s = s.trim();
    let ok = s.chars().count() <= 64
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -/№#.".contains(c));
    ok.then(|| s.to_owned())
}

/// Checks one row's cells.
pub fn check_row(row: usize, iin: &str, name: &str, payment: &str) -> Result<LearnerRow, RowError> {
    let err = |key: &'static str| RowError {
        row,
        code: Code::new(key),
    };
    let iin = Iin::parse(iin.trim()).map_err(|_| err("portal-row-iin"))?;
    let name = clean_name(name).ok_or_else(|| err("portal-row-name"))?;
    let payment = clean_payment(payment).ok_or_else(|| err("portal-row-payment"))?;
    Ok(LearnerRow {
        row,
        iin,
        name,
        payment,
    })
}

/// Every row of the file as text cells.
fn cells(bytes: &[u8], kind: SheetKind) -> Result<Vec<Vec<String>>, Code> {
    match kind {
        SheetKind::Csv => {
            let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
                .map_err(|_| Code::new("portal-sheet-not-utf8"))?;
            let first = text.lines().next().unwrap_or("");
            let sep = if first.matches(';').count() > first.matches(',').count() {
                b';'
            } else {
                b','
            };
            let mut out = Vec::new();
            for rec in csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(sep)
                .from_reader(text.as_bytes())
                .records()
            {
                let rec = rec.map_err(|_| Code::new("portal-sheet-unreadable"))?;
                out.push(rec.iter().map(str::to_owned).collect());
            }
            Ok(out)
        }
        SheetKind::Xlsx => {
            use calamine::{Reader as _, Xlsx};
            let mut book: Xlsx<_> =
                Xlsx::new(Cursor::new(bytes)).map_err(|_| Code::new("portal-sheet-unreadable"))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| Code::new("portal-sheet-empty"))?
                .map_err(|_| Code::new("portal-sheet-unreadable"))?;
            Ok(range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            // A number cell: Excel keeps a 12-digit ИИН as a float.
                            calamine::Data::Float(f) if f.fract() == 0.0 && *f >= 0.0 => {
                                format!("{:012}", *f as u64)
                            }
                            calamine::Data::Int(i) => format!("{i:012}"),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect())
        }
    }
}

/// The learners of a file, or every row's error (then none is registered).
pub fn parse(bytes: &[u8], kind: SheetKind) -> Result<Vec<LearnerRow>, Vec<RowError>> {
    let whole = |code: Code| vec![RowError { row: 0, code }];
    if bytes.len() > MAX_BYTES {
        return Err(whole(
            Code::new("portal-sheet-too-large").arg("max", (MAX_BYTES / 1024 / 1024) as i64),
        ));
    }
    let rows = cells(bytes, kind).map_err(whole)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, cells) in rows.iter().enumerate() {
        let row = i + 1;
        let cell = |k: usize| cells.get(k).map_or("", |s| s.as_str());
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // A header: the first row, when its first cell is not digits.
        if i == 0 && !cell(0).trim().chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if out.len() + errors.len() >= MAX_ROWS {
            return Err(whole(
                Code::new("portal-sheet-too-many").arg("max", MAX_ROWS as i64),
            ));
        }
        match check_row(row, cell(0), cell(1), cell(2)) {
            Ok(l) => {
                if let Some(first) = seen.insert(l.iin.as_str().to_owned(), row) {
                    errors.push(RowError {
                        row,
                        code: Code::new("portal-row-duplicate").arg("first", first as i64),
                    });
                } else {
                    out.push(l);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.is_empty() {
        return Err(whole(Code::new("portal-sheet-empty")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_with_a_header_and_semicolons_reads() {
        let csv = "ИИН;ФИО;Платёж\n900101300017;Айгүл Нұрланова;P-1\n850715401236;Иванов Иван Иванович;\n";
        let rows = parse(csv.as_bytes(), SheetKind::Csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Айгүл Нұрланова");
        assert_eq!((rows[0].row, rows[1].row), (2, 3));
        assert_eq!(rows[1].payment, "");
    }

    #[test]
    fn every_bad_row_is_named_and_none_is_taken() {
        let csv = "900101300017,Айгүл Нұрланова,\n900101300018,Bad Control,\n850715401236,=HYPERLINK(\"x\"),\n900101300017,Again,\n880315300511,<script>x</script>,\n";
        let errors = parse(csv.as_bytes(), SheetKind::Csv).unwrap_err();
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.code.id())).collect();
        assert_eq!(
            got,
            vec![
                (2, "portal-row-iin"),
                (3, "portal-row-name"),
                (4, "portal-row-duplicate"),
                (5, "portal-row-name"),
            ]
        );
    }

    #[test]
    fn an_xlsx_with_numbers_for_iins_reads() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "ИИН").unwrap();
        sheet.write_string(0, 1, "ФИО").unwrap();
        sheet.write_number(1, 0, 900_101_300_017.0).unwrap();
        sheet.write_string(1, 1, "Серік Болатұлы").unwrap();
        sheet.write_string(2, 0, "000229600074").unwrap();
        sheet.write_string(2, 1, "Әлия Қанатқызы").unwrap();
        sheet.write_string(2, 2, "№ 15/2026").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let rows = parse(&bytes, SheetKind::Xlsx).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].iin.as_str(), "900101300017");
        assert_eq!(rows[1].payment, "№ 15/2026");
    }

    #[test]
    fn a_file_that_is_not_a_spreadsheet_is_refused_whole() {
        let e = parse(b"PK\x03\x04 not really", SheetKind::Xlsx).unwrap_err();
        assert_eq!(e[0].code.id(), "portal-sheet-unreadable");
        let big = vec![b'1'; MAX_BYTES + 1];
        assert_eq!(
            parse(&big, SheetKind::Csv).unwrap_err()[0].code.id(),
            "portal-sheet-too-large"
        );
        assert_eq!(
            parse(b"\xff\xfe", SheetKind::Csv).unwrap_err()[0].code.id(),
            "portal-sheet-not-utf8"
        );
    }
}
