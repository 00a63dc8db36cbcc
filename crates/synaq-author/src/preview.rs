//! A preview of a bank source as one self-contained HTML page: every question with its
//! options, correct marks, image, topic and categories, Kazakh and Russian side by side, and
//! the findings of the import and the lints next to the question they are about.
//!
//! The page is for a methodologist to read before the bank is built and signed: it needs no
//! server and no network (styles inline, images as `data:` URLs), and everything taken from
//! the source is HTML-escaped, so a question text can never become markup or script.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use synaq_core::{Question, QuestionKind, Text};

use crate::{Diagnostic, Origin};

/// What a preview shows.
#[derive(Debug, Clone, Copy)]
pub struct PreviewInput<'a> {
    /// The page title (the source folder, the profile's name).
    pub title: &'a str,
    pub questions: &'a [Question],
    /// `origins[i]` is where `questions[i]` was written; may be empty.
    pub origins: &'a [Origin],
    /// Media by `media/…` path, for the images.
    pub media: &'a BTreeMap<String, Vec<u8>>,
    pub diagnostics: &'a [Diagnostic],
}

/// `s` with `& < > " '` escaped for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn mime(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Which question a diagnostic is about: the one starting at its file and line, or the
/// last one of its file starting before that line, or the one it names.
fn owner(d: &Diagnostic, questions: &[Question], origins: &[Origin]) -> Option<usize> {
    if let Some(line) = d.line {
        let mut best: Option<(usize, usize)> = None;
        for (i, o) in origins.iter().enumerate() {
            if o.file == d.file {
                if let Some(l) = o.line.filter(|&l| l <= line) {
                    if best.is_none_or(|(bl, _)| l > bl) {
                        best = Some((l, i));
                    }
                }
            }
        }
        if let Some((_, i)) = best {
            return Some(i);
        }
    }
    questions.iter().position(|q| {
        d.message.starts_with(&format!("question {}:", q.id.0))
            || d.message.starts_with(&format!("question {},", q.id.0))
    })
}

const STYLE: &str = "
body{font-family:'Noto Sans','PT Sans','DejaVu Sans',sans-serif;margin:0;background:#f4f5f7;color:#1d2430}
header{background:#1f3a5f;color:#fff;padding:14px 24px}
header h1{font-size:20px;margin:0 0 4px}
header p{margin:0;font-size:13px;opacity:.85}
main{padding:16px 24px}
.q{background:#fff;border:1px solid #d5d9e0;border-radius:6px;margin:0 0 16px;padding:12px 16px}
.meta{font-size:12px;color:#4a5566;margin-bottom:8px}
.meta b{color:#1d2430}
.tag{display:inline-block;background:#e8edf5;border-radius:3px;padding:0 6px;margin-right:4px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.col h3{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:#6b7686;margin:0 0 4px}
.text{font-size:15px;margin:0 0 8px}
ol{margin:0;padding-left:0;list-style:none}
li{display:flex;padding:3px 6px;border-radius:3px;margin-bottom:2px;font-size:14px}
li.ok{background:#e3f4e6}
li .mark{flex:0 0 1.4em;font-weight:bold;color:#1b7a2e}
li .id{flex:0 0 auto;color:#6b7686;margin-right:6px}
.fixed{font-size:11px;color:#6b7686;margin-left:6px}
img{max-width:100%;max-height:200px;border:1px solid #d5d9e0;display:block;margin:4px 0}
.alt{font-size:12px;color:#4a5566;margin:0 0 8px}
.missing{color:#b00020;font-style:italic}
.diag{font-size:13px;margin:8px 0 0;padding:6px 8px;border-radius:3px}
.error{background:#fde8eb;color:#8a0016}
.warning{background:#fff5db;color:#6b4e00}
";

fn lang_column(out: &mut String, lang: &str, q: &Question, img: Option<&str>) {
    let pick = |t: &Text| match lang {
        "kk" => t.kk.clone(),
        _ => t.ru.clone(),
    };
    let shown = |s: String| {
        if s.trim().is_empty() {
            "<span class=\"missing\">—</span>".to_string()
        } else {
            escape(&s)
        }
    };
    let _ = write!(
        out,
        "<div class=\"col\" lang=\"{lang}\"><h3>{}</h3><p class=\"text\">{}</p>",
        if lang == "kk" {
            "Қазақша"
        } else {
            "Русский"
        },
        shown(pick(&q.text))
    );
    if let Some(image) = &q.image {
        match img {
            Some(src) => {
                let _ = write!(
                    out,
                    "<img src=\"{src}\" alt=\"{}\">",
                    escape(&pick(&image.alt))
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<p class=\"missing\">{} ({})</p>",
                    escape(&image.path),
                    if lang == "kk" {
                        "файл жоқ"
                    } else {
                        "файла нет"
                    }
                );
            }
        }
        let _ = write!(out, "<p class=\"alt\">alt: {}</p>", shown(pick(&image.alt)));
    }
    out.push_str("<ol>");
    for o in &q.options {
        let _ = write!(
            out,
            "<li class=\"{}\"><span class=\"mark\">{}</span><span class=\"id\">{})</span>{}{}</li>",
            if o.correct { "ok" } else { "" },
            if o.correct { "✓" } else { "" },
            escape(&o.id),
            shown(pick(&o.text)),
            if o.fixed {
                "<span class=\"fixed\">📌 fixed</span>"
            } else {
                ""
            }
        );
    }
    out.push_str("</ol></div>");
}

fn diag_html(out: &mut String, d: &Diagnostic) {
    let _ = write!(
        out,
        "<p class=\"diag {}\">{}</p>",
        if d.is_error() { "error" } else { "warning" },
        escape(&d.to_string())
    );
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The whole page.
pub fn render(input: &PreviewInput<'_>) -> String {
    let PreviewInput {
        title,
        questions,
        origins,
        media,
        diagnostics,
    } = *input;
    let mut by_question: BTreeMap<usize, Vec<&Diagnostic>> = BTreeMap::new();
    let mut general = Vec::new();
    for d in diagnostics {
        match owner(d, questions, origins) {
            Some(i) => by_question.entry(i).or_default().push(d),
            None => general.push(d),
        }
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"kk\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\
         <title>{}</title><style>{STYLE}</style></head><body><header><h1>{}</h1>\
         <p>{} · {} · {}</p></header><main>",
        escape(title),
        escape(title),
        count(questions.len(), "question", "questions"),
        count(errors, "error", "errors"),
        count(diagnostics.len() - errors, "warning", "warnings")
    );
    if !general.is_empty() {
        out.push_str("<section class=\"q\"><div class=\"meta\"><b>Source</b></div>");
        for d in general {
            diag_html(&mut out, d);
        }
        out.push_str("</section>");
    }
    for (i, q) in questions.iter().enumerate() {
        let img = q.image.as_ref().and_then(|im| {
            media.get(&im.path).map(|bytes| {
                format!(
                    "data:{};base64,{}",
                    mime(&im.path),
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                )
            })
        });
        let place = origins.get(i).map_or_else(String::new, |o| match o.line {
            Some(l) => format!("{}:{l}", o.file.display()),
            None => o.file.display().to_string(),
        });
        let _ = write!(
            out,
            "<section class=\"q\" id=\"q-{}\"><div class=\"meta\"><b>{}</b> · v{} · {} · topic \
             <span class=\"tag\">{}</span> categories ",
            i + 1,
            escape(&q.id.0),
            q.version,
            match q.kind {
                QuestionKind::Single => "single choice",
                QuestionKind::Multiple => "multiple choice",
            },
            escape(&q.topic)
        );
        if q.categories.is_empty() {
            out.push_str("<span class=\"missing\">none</span>");
        }
        for c in &q.categories {
            let _ = write!(out, "<span class=\"tag\">{}</span>", escape(c.as_str()));
        }
        let _ = write!(out, " · {}</div><div class=\"cols\">", escape(&place));
        lang_column(&mut out, "kk", q, img.as_deref());
        lang_column(&mut out, "ru", q, img.as_deref());
        out.push_str("</div>");
        for d in by_question.get(&i).into_iter().flatten() {
            diag_html(&mut out, d);
        }
        out.push_str("</section>");
    }
    out.push_str("</main></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use synaq_core::{AnswerOption, CategoryId, Image, QuestionId};

    fn t(kk: &str, ru: &str) -> Text {
        Text {
            kk: kk.into(),
            ru: ru.into(),
            en: None,
        }
    }

    #[test]
    fn everything_from_the_source_is_escaped_and_findings_sit_with_their_question() {
        let q = Question {
            id: QuestionId("x-1".into()),
            version: 2,
            topic: "fire".into(),
            categories: vec![CategoryId::new("cat-1").unwrap()],
            text: t("<script>alert(1)</script>", "Что & \"почему\""),
            kind: QuestionKind::Single,
            options: vec![
                AnswerOption {
                    id: "a".into(),
                    text: t("Иә", "Да"),
                    correct: true,
                    fixed: false,
                },
                AnswerOption {
                    id: "b".into(),
                    text: t("<img src=x onerror=alert(1)>", "Нет"),
                    correct: false,
                    fixed: true,
                },
            ],
            image: Some(Image {
                path: "media/x.png".into(),
                alt: t("Сурет", "Рисунок"),
            }),
        };
        let origins = [Origin {
            file: "questions/f.gift".into(),
            line: Some(3),
            group: None,
        }];
        let media = BTreeMap::from([("media/x.png".to_string(), b"\x89PNG".to_vec())]);
        let diags = [
            Diagnostic::warning("questions/f.gift", Some(5), "option <b> looks odd"),
            Diagnostic::error("profile.toml", Some(1), "general"),
        ];
        let html = render(&PreviewInput {
            title: "Bank <1>",
            questions: &[q],
            origins: &origins,
            media: &media,
            diagnostics: &diags,
        });
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img src=x"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Что &amp; &quot;почему&quot;"));
        assert!(html.contains("<title>Bank &lt;1&gt;</title>"));
        assert!(
            html.contains("src=\"data:image/png;base64,iVBORw==\""),
            "{html}"
        );
        assert!(html.contains("<span class=\"mark\">✓</span><span class=\"id\">a)</span>Иә"));
        assert!(html.contains("📌 fixed"));
        // The warning at line 5 is inside the question's section, the profile error before.
        let q_at = html.find("id=\"q-1\"").unwrap();
        let w_at = html.find("option &lt;b&gt; looks odd").unwrap();
        let g_at = html.find("general").unwrap();
        assert!(g_at < q_at && q_at < w_at);
        assert!(html.contains("1 question · 1 error · 1 warning"));
    }
}
