//! The native format: TOML files of `[[question]]` tables.
//!
//! Each `[[question]]` table has exactly the fields of [`synaq_core::Question`]; no field is
//! added or renamed, and unknown fields are errors (so a typo never goes unnoticed):
//!
//! ```toml
//! [[question]]
//! id = "trn-001"              # unique across the whole bank
//! version = 1                 # raise on every edit of the wording
//! topic = "training"          # the blueprint topic
//! categories = ["cat-1", "cat-2"]
//! kind = "single"             # or "multiple"
//! text.kk = "Жұмысқа жаңа қабылданған қызметкермен алдымен қандай нұсқама өткізіледі?"
//! text.ru = "Какой инструктаж проводится с вновь принятым работником в первую очередь?"
//! # text.en = "…"             # optional, for operators
//!
//! [question.image]            # optional
//! path = "media/sign-no-flame.png"
//! alt.kk = "Ашық отқа тыйым салу белгісі"
//! alt.ru = "Знак запрета открытого огня"
//!
//! [[question.options]]
//! id = "a"                    # stable: never renumber options of a published question
//! text.kk = "Кіріспе нұсқама"
//! text.ru = "Вводный инструктаж"
//! correct = true              # defaults to false
//!
//! [[question.options]]
//! id = "b"
//! text.kk = "Мақсатты нұсқама"
//! text.ru = "Целевой инструктаж"
//! ```
//!
//! Text is plain: no HTML, no language markup. A file may hold any number of questions; no
//! other top-level key is allowed.
//!
//! Diagnostics: a TOML syntax error is reported at its line. The first problem with the
//! shape of a question (unknown or missing field, wrong type) is reported at the exact line
//! too; further problems in other questions of the same file are reported at the line where
//! their `[[question]]` starts. Each question's origin is its `[[question]]` line.

use std::path::Path;

use serde::Deserialize;
use synaq_core::Question;
use toml::Spanned;

use crate::lines::Lines;
use crate::{Diagnostic, Imported};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Strict {
    #[serde(default)]
    question: Vec<Spanned<Question>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Loose {
    #[serde(default)]
    question: Vec<Spanned<toml::Table>>,
}

/// Reads a native TOML question file; `file` names it in diagnostics.
pub fn parse(file: &Path, src: &str) -> (Imported, Vec<Diagnostic>) {
    let lines = Lines::new(src);
    let mut out = Imported::default();
    let mut diags = Vec::new();
    let line_of = |span: Option<std::ops::Range<usize>>| span.map(|s| lines.line(s.start));
    match toml::from_str::<Strict>(src) {
        Ok(strict) => {
            for q in strict.question {
                let line = lines.line(q.span().start);
                out.push(q.into_inner(), file, Some(line));
            }
        }
        Err(strict_err) => {
            let loose = match toml::from_str::<Loose>(src) {
                Ok(l) => l,
                Err(e) => {
                    diags.push(Diagnostic::error(
                        file,
                        line_of(e.span()),
                        e.message().to_string(),
                    ));
                    return (out, diags);
                }
            };
            let starts: Vec<usize> = loose.question.iter().map(|q| q.span().start).collect();
            let err_at = strict_err.span().map(|s| s.start);
            // The question the precise error is in: the last one starting before it.
            let culprit = err_at.and_then(|at| starts.iter().rposition(|&s| s <= at));
            let mut reported = false;
            for (i, table) in loose.question.into_iter().enumerate() {
                let line = lines.line(table.span().start);
                let id = table
                    .get_ref()
                    .get("id")
                    .and_then(toml::Value::as_str)
                    .map(str::to_string);
                let name = match &id {
                    Some(id) => format!("question {id}"),
                    None => format!("question #{} (no id)", i + 1),
                };
                match toml::Value::Table(table.into_inner()).try_into::<Question>() {
                    Ok(q) => out.push(q, file, Some(line)),
                    Err(_) if Some(i) == culprit => {
                        reported = true;
                        diags.push(Diagnostic::error(
                            file,
                            line_of(strict_err.span()),
                            format!("{name}: {}", strict_err.message()),
                        ));
                    }
                    Err(e) => diags.push(Diagnostic::error(
                        file,
                        Some(line),
                        format!("{name}: {}", e.message()),
                    )),
                }
            }
            if !reported {
                diags.insert(
                    0,
                    Diagnostic::error(
                        file,
                        line_of(strict_err.span()),
                        strict_err.message().to_string(),
                    ),
                );
            }
        }
    }
    if out.questions.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::warning(
            file,
            None,
            "no [[question]] tables in this file",
        ));
    }
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use synaq_core::QuestionKind;

    const ONE: &str = r#"# Training
[[question]]
id = "trn-001"
version = 2
topic = "training"
categories = ["cat-1", "cat-2"]
kind = "single"
text.kk = "Қандай нұсқама?"
text.ru = "Какой инструктаж?"

[question.image]
path = "media/x.png"
alt.kk = "Сурет"
alt.ru = "Рисунок"

[[question.options]]
id = "a"
text.kk = "Кіріспе"
text.ru = "Вводный"
correct = true

[[question.options]]
id = "b"
text.kk = "Мақсатты"
text.ru = "Целевой"
"#;

    fn p(src: &str) -> (Imported, Vec<Diagnostic>) {
        parse(Path::new("q.toml"), src)
    }

    #[test]
    fn reads_questions_with_their_lines() {
        let two = format!("{ONE}\n{}", ONE.replace("trn-001", "trn-002"));
        let (imp, diags) = p(&two);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(imp.questions.len(), 2);
        let q = &imp.questions[0];
        assert_eq!(q.id.0, "trn-001");
        assert_eq!(q.version, 2);
        assert_eq!(q.kind, QuestionKind::Single);
        assert_eq!(q.options[0].text.kk, "Кіріспе");
        assert!(q.options[0].correct && !q.options[1].correct);
        assert_eq!(q.image.as_ref().unwrap().alt.ru, "Рисунок");
        assert_eq!(imp.origins[0].line, Some(2));
        assert_eq!(imp.origins[1].line, Some(28));
        assert_eq!(imp.questions[1].id.0, "trn-002");
    }

    #[test]
    fn syntax_errors_have_their_line() {
        let bad = ONE.replace("version = 2", "version = ");
        let (imp, diags) = p(&bad);
        assert!(imp.questions.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, Some(4), "{}", diags[0]);
    }

    #[test]
    fn shape_errors_point_at_the_field_then_the_question() {
        let two = format!(
            "{}\n{}",
            ONE.replace("topic =", "topik ="),
            ONE.replace("trn-001", "trn-002")
                .replace("version = 2\n", "")
        );
        let (imp, diags) = p(&two);
        assert!(imp.questions.is_empty());
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(diags[0].line, Some(5));
        assert!(diags[0].message.contains("trn-001"), "{}", diags[0]);
        assert!(diags[0].message.contains("topik"), "{}", diags[0]);
        assert_eq!(diags[1].line, Some(28));
        assert!(diags[1].message.contains("trn-002"), "{}", diags[1]);
        assert!(diags[1].message.contains("version"), "{}", diags[1]);
    }

    #[test]
    fn good_questions_survive_a_bad_neighbour() {
        let two = format!(
            "{}\n{}",
            ONE,
            ONE.replace("trn-001", "trn-002")
                .replace("kind = \"single\"", "kind = \"one\"")
        );
        let (imp, diags) = p(&two);
        assert_eq!(imp.questions.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, Some(33), "{}", diags[0]);
    }

    #[test]
    fn bad_category_ids_and_top_level_keys() {
        let (_, diags) = p(&ONE.replace("\"cat-2\"", "\"Cat 2\""));
        assert_eq!(diags[0].line, Some(6), "{}", diags[0]);
        assert!(diags[0].message.contains("Cat 2"));
        let (_, diags) = p(&format!("title = \"x\"\n{ONE}"));
        assert_eq!(diags[0].line, Some(1), "{}", diags[0]);
    }

    #[test]
    fn empty_files_warn() {
        let (imp, diags) = p("# nothing yet\n");
        assert!(imp.questions.is_empty());
        assert_eq!(diags.len(), 1);
        assert!(!diags[0].is_error());
    }
}
