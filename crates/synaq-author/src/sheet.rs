//! Spreadsheets: one question per row, `*.xlsx` (the first sheet) or `*.csv` (UTF-8, comma
//! separated, quotes as Excel writes them).
//!
//! The first row names the columns, in any order and any case:
//!
//! | column | meaning |
//! |---|---|
//! | `id` | the question id (required) |
//! | `version` | optional, 1 when empty |
//! | `topic` | the topic (or `topic` in `import.toml`) |
//! | `categories` | category ids, separated by commas or spaces (or `categories` in `import.toml`) |
//! | `kind` | `single` or `multiple`; when empty, multiple when more than one option is correct |
//! | `text_kk`, `text_ru` | the question in Kazakh and in Russian (`text_en` optional) |
//! | `a_kk`, `a_ru`, `b_kk`, `b_ru`, … | the options, by letter; a letter whose cells are all empty is no option |
//! | `correct` | the letters of the correct options: `b` or `a, c` |
//! | `fixed` | optional: letters of options that keep their place (`d`, "none of the above") |
//! | `image`, `image_alt_kk`, `image_alt_ru` | optional: a file under `media/` and its text alternative |
//!
//! Text is plain: no HTML and no language markup, as each language has its own column. Rows
//! whose cells are all empty are skipped. Every problem is reported as `file:row`, the row
//! number the spreadsheet shows.

use std::collections::BTreeMap;
use std::path::Path;

use synaq_core::{AnswerOption, CategoryId, Image, Question, QuestionId, QuestionKind, Text};

use crate::rich::{media_path, squash};
use crate::{Diagnostic, Imported, ReadOptions};

/// Reads a CSV file.
pub fn parse_csv(file: &Path, text: &str, opts: &ReadOptions) -> (Imported, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                rows.push((line, r.iter().map(str::to_string).collect()));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                return (
                    Imported::default(),
                    vec![Diagnostic::error(file, line, format!("not valid CSV: {e}"))],
                );
            }
        }
    }
    from_rows(file, rows, opts)
}

/// Reads the first sheet of an `.xlsx` workbook.
pub fn parse_xlsx(file: &Path, bytes: &[u8], opts: &ReadOptions) -> (Imported, Vec<Diagnostic>) {
    use calamine::Reader as _;
    let fail = |msg: String| {
        (
            Imported::default(),
            vec![Diagnostic::error(file, None, msg)],
        )
    };
    let mut book = match calamine::Xlsx::new(std::io::Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => return fail(format!("not an .xlsx workbook: {e}")),
    };
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(e)) => return fail(format!("cannot read the first sheet: {e}")),
        None => return fail("the workbook has no sheet".into()),
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            // The sheet's own row numbers: the range may start below row 1 or right of A.
            let mut v: Vec<String> = vec![String::new(); first_col as usize];
            v.extend(cells.iter().map(|c| match c {
                calamine::Data::Empty => String::new(),
                other => other.to_string(),
            }));
            (first_row as usize + i + 1, v)
        })
        .collect();
    from_rows(file, rows, opts)
}

struct Columns {
    index: BTreeMap<String, usize>,
}

impl Columns {
    fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.index
            .get(name)
            .and_then(|&i| row.get(i))
            .map_or("", |s| s.trim())
    }
}

const KNOWN: [&str; 12] = [
    "id",
    "version",
    "topic",
    "categories",
    "kind",
    "text_kk",
    "text_ru",
    "text_en",
    "correct",
    "fixed",
    "image",
    "image_alt_kk",
];

/// Whether a header names an option column (`a_kk`, `ab_ru`).
fn option_column(name: &str) -> Option<(&str, &str)> {
    let (letter, lang) = name.rsplit_once('_')?;
    (matches!(lang, "kk" | "ru" | "en")
        && !letter.is_empty()
        && letter.len() <= 2
        && letter.bytes().all(|b| b.is_ascii_lowercase()))
    .then_some((letter, lang))
}

fn from_rows(
    file: &Path,
    rows: Vec<(usize, Vec<String>)>,
    opts: &ReadOptions,
) -> (Imported, Vec<Diagnostic>) {
    let mut out = Imported::default();
    let mut diags = Vec::new();
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((head_line, head)) = rows.next() else {
        diags.push(Diagnostic::warning(
            file,
            None,
            "no rows: no questions in this file",
        ));
        return (out, diags);
    };
    let mut index = BTreeMap::new();
    let mut letters: Vec<String> = Vec::new();
    for (i, h) in head.iter().enumerate() {
        let name = h.trim().to_lowercase();
        if name.is_empty() {
            continue;
        }
        if let Some((letter, _)) = option_column(&name) {
            if !letters.iter().any(|l| l == letter) {
                letters.push(letter.to_string());
            }
        } else if !KNOWN.contains(&name.as_str()) && name != "image_alt_ru" {
            diags.push(Diagnostic::warning(
                file,
                Some(head_line),
                format!("column {:?} is not one Synaq reads; ignored", h.trim()),
            ));
        }
        if index.insert(name.clone(), i).is_some() {
            diags.push(Diagnostic::error(
                file,
                Some(head_line),
                format!("column {:?} appears twice", h.trim()),
            ));
        }
    }
    letters.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    for need in ["id", "text_kk", "text_ru", "correct"] {
        if !index.contains_key(need) {
            diags.push(Diagnostic::error(
                file,
                Some(head_line),
                format!(
                    "no {need:?} column: the first row names the columns (id, topic, \
                     categories, text_kk, text_ru, a_kk, a_ru, b_kk, b_ru, …, correct)"
                ),
            ));
        }
    }
    if letters.is_empty() {
        diags.push(Diagnostic::error(
            file,
            Some(head_line),
            "no option columns (a_kk, a_ru, b_kk, b_ru, …)",
        ));
    }
    if crate::has_errors(&diags) {
        return (out, diags);
    }
    let cols = Columns { index };
    for (line, row) in rows {
        let mut err = |msg: String| {
            diags.push(Diagnostic::error(file, Some(line), msg));
        };
        let id = cols.get(&row, "id").to_string();
        if id.is_empty() {
            err("no id".into());
            continue;
        }
        let mut ok = true;
        let version = match cols.get(&row, "version") {
            "" => 1,
            v => match v.parse::<u32>() {
                Ok(n) if n > 0 => n,
                _ => {
                    err(format!(
                        "question {id}: version {v:?} must be a number from 1"
                    ));
                    ok = false;
                    1
                }
            },
        };
        let topic = match cols.get(&row, "topic") {
            "" => opts.topic.clone().unwrap_or_default(),
            t => t.to_string(),
        };
        if topic.is_empty() {
            err(format!(
                "question {id}: no topic: fill the topic column or set topic in import.toml"
            ));
            ok = false;
        }
        let mut categories = Vec::new();
        for c in cols
            .get(&row, "categories")
            .split([',', ' ', ';'])
            .filter(|c| !c.is_empty())
        {
            match CategoryId::new(c) {
                Ok(c) if !categories.contains(&c) => categories.push(c),
                Ok(_) => {}
                Err(e) => {
                    err(format!("question {id}: {e}"));
                    ok = false;
                }
            }
        }
        if categories.is_empty() {
            categories = opts.categories.clone();
        }
        let cell_text = |kk: &str, ru: &str, en: &str| Text {
            kk: squash(cols.get(&row, kk)),
            ru: squash(cols.get(&row, ru)),
            en: Some(squash(cols.get(&row, en))).filter(|e| !e.is_empty()),
        };
        let text = cell_text("text_kk", "text_ru", "text_en");
        let marks = |name: &str| -> Vec<String> {
            cols.get(&row, name)
                .split([',', ' ', ';'])
                .filter(|l| !l.is_empty())
                .map(str::to_lowercase)
                .collect()
        };
        let correct = marks("correct");
        let fixed = marks("fixed");
        let mut options = Vec::new();
        for l in &letters {
            let t = cell_text(&format!("{l}_kk"), &format!("{l}_ru"), &format!("{l}_en"));
            if t.kk.is_empty() && t.ru.is_empty() && t.en.is_none() {
                continue;
            }
            options.push(AnswerOption {
                id: l.clone(),
                text: t,
                correct: correct.contains(l),
                fixed: fixed.contains(l),
            });
        }
        for m in correct.iter().chain(&fixed) {
            if !options.iter().any(|o| o.id == *m) {
                err(format!(
                    "question {id}: {m:?} in correct/fixed is not an option of the row (its \
                     {m}_kk and {m}_ru are empty)"
                ));
                ok = false;
            }
        }
        let kind = match cols.get(&row, "kind").to_lowercase().as_str() {
            "" if correct.len() > 1 => QuestionKind::Multiple,
            "" | "single" => QuestionKind::Single,
            "multiple" => QuestionKind::Multiple,
            other => {
                err(format!(
                    "question {id}: kind {other:?}: expected single or multiple"
                ));
                ok = false;
                QuestionKind::Single
            }
        };
        let image = match cols.get(&row, "image") {
            "" => None,
            src => match media_path(src) {
                Ok(path) => Some(Image {
                    path,
                    alt: cell_text("image_alt_kk", "image_alt_ru", "image_alt_en"),
                }),
                Err(msg) => {
                    err(format!("question {id}: {msg}"));
                    ok = false;
                    None
                }
            },
        };
        if ok {
            let q = Question {
                id: QuestionId(id),
                version,
                topic,
                categories,
                text,
                kind,
                options,
                image,
            };
            out.push(q, file, Some(line));
        }
    }
    if out.questions.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::warning(file, None, "no questions in this file"));
    }
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "\u{feff}ID,Topic,Categories,text_kk,text_ru,a_kk,a_ru,b_kk,b_ru,c_kk,c_ru,correct,fixed\n\
        el-1,electrical,\"cat-1, cat-2\",Қай кернеу қауіпті?,Какое напряжение опасно?,380 В,380 В,12 В,12 В,Ешқайсысы,Никакое,a,c\n\
        ,,,,,,,,,,,,\n\
        el-2,electrical,cat-1,\"Көп, жол\",\"Много, строк\",Иә,Да,Жоқ,Нет,,,\"a,b\",\n\
        el-3,,cat-x!,С,В,Иә,Да,,,,,d,\n";

    #[test]
    fn reads_one_question_per_row() {
        let (imp, d) = parse_csv(Path::new("q.csv"), CSV, &ReadOptions::default());
        assert_eq!(imp.questions.len(), 2, "{d:#?}");
        let q = &imp.questions[0];
        assert_eq!(q.id.0, "el-1");
        assert_eq!(q.categories.len(), 2);
        assert_eq!(q.kind, QuestionKind::Single);
        let o: Vec<_> = q
            .options
            .iter()
            .map(|o| (o.id.as_str(), o.text.ru.as_str(), o.correct, o.fixed))
            .collect();
        assert_eq!(
            o,
            [
                ("a", "380 В", true, false),
                ("b", "12 В", false, false),
                ("c", "Никакое", false, true)
            ]
        );
        assert_eq!(imp.questions[1].kind, QuestionKind::Multiple);
        assert_eq!(imp.questions[1].text.kk, "Көп, жол");
        assert_eq!(imp.origins[1].line, Some(4));
        // Row 5: every problem of the row, each at its row.
        let shown: Vec<_> = d.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "q.csv:5: error: question el-3: no topic: fill the topic column or set topic in import.toml",
                "q.csv:5: error: question el-3: category id \"cat-x!\" must be 1 to 32 characters of a-z, 0-9 and '-'",
                "q.csv:5: error: question el-3: \"d\" in correct/fixed is not an option of the row (its d_kk and d_ru are empty)",
            ]
        );
    }

    #[test]
    fn missing_columns_are_named() {
        let (_, d) = parse_csv(
            Path::new("q.csv"),
            "id,text_kk\nx,y\n",
            &ReadOptions::default(),
        );
        let msgs: Vec<_> = d.iter().map(|d| (d.line, d.message.clone())).collect();
        assert_eq!(msgs.len(), 3, "{msgs:#?}");
        assert!(msgs[0].1.starts_with("no \"text_ru\" column"), "{msgs:#?}");
    }
}
