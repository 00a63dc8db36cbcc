//! GIFT, Moodle's plain-text question format (`*.gift`, UTF-8).
//!
//! ```text
//! $CATEGORY: $course$/top/fire
//!
//! // categories: cat-1 cat-2
//! // version: 2
//! ::fire-001::<span lang="kk" class="multilang">Өрт кезінде не істеу керек?</span><span lang="ru" class="multilang">Что делать при пожаре?</span> {
//!   =<span lang="kk" class="multilang">101-ге қоңырау шалу</span><span lang="ru" class="multilang">Позвонить 101</span>
//!   ~\{mlang kk\}Жасырыну\{mlang\}\{mlang ru\}Спрятаться\{mlang\} #feedback is ignored
//! }
//! ```
//!
//! Conventions:
//!
//! * Questions are separated by blank lines. Lines starting with `//` are comments.
//! * `$CATEGORY: $course$/top/<topic>` sets the **topic** of the questions after it (the last
//!   segment of the path). A question before any `$CATEGORY` is an error.
//! * The `::title::` is the **question id**. Without one, the id is derived from the
//!   category path and the question text (`gift-` and 16 hex digits); two such questions with
//!   the same category and text are an error.
//! * **Categories** come from a comment `// categories: cat-1 cat-2` (spaces or commas)
//!   directly above the question, with no blank line between; `// version: N` there sets the
//!   version (default 1). Such a comment not followed by a question is reported.
//! * Text and answers are bilingual with multilang spans or the `{mlang kk}…{mlang}` form, as
//!   in the crate docs. `{mlang …}` may be written with or without GIFT escapes (`\{`); an
//!   optional `[html]`, `[moodle]`, `[plain]` or `[markdown]` prefix is dropped. Unlike
//!   Moodle, the characters `= ~ #` inside an HTML tag (`<span lang="kk">`) need no escape.
//! * Answers: `=` marks a right answer, `~` a wrong one; `~%50%` / `~%-100%` give weights, and
//!   an answer with a weight above 0 is right. More than one right answer makes a
//!   multiple-choice question, otherwise single choice. Feedback (`#…`) and general feedback
//!   (`####…`) are ignored. Text after the answer block is kept, with `_____` where the block
//!   was (Moodle's "missing word" form).
//! * Escapes `\= \~ \# \{ \} \: \\` stand for the character itself, `\n` for a line break.
//! * A format marker (`[plain]`, …) at the start of an answer is dropped too, as Moodle does.
//! * Other GIFT question types (true/false, short answer, numeric, matching, essay, and text
//!   with no answer block) are skipped with a warning (`question-type-skipped`). As in
//!   Moodle, answers that all start with `=` are a short answer, weighted or not
//!   (`{=Frog =%50%Cat =%0%*}`): only `~` makes a choice question.
//! * Images: `<img src="media/x.png" alt="{mlang kk}…{mlang}{mlang ru}…{mlang}">` in the
//!   question text (`@@PLUGINFILE@@/x.png` also means `media/x.png`).
//!
//! Every problem is reported with the line it is on: answer problems at the answer's line,
//! others at the line where the question starts.

use std::collections::HashMap;
use std::path::Path;

use synaq_core::{AnswerOption, CategoryId, Question, QuestionId, QuestionKind};

use crate::rich::{self, parse_html, Rich};
use crate::{letter_id, Diagnostic, Imported, ReadOptions};

/// Reads a GIFT file; `file` names it in diagnostics.
pub fn parse(file: &Path, src: &str) -> (Imported, Vec<Diagnostic>) {
    parse_with(file, src, &ReadOptions::default())
}

/// Reads a GIFT file with what `import.toml` says about it.
pub fn parse_with(file: &Path, src: &str, opts: &ReadOptions) -> (Imported, Vec<Diagnostic>) {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut p = Parser {
        file,
        opts,
        out: Imported::default(),
        diags: Vec::new(),
        place: opts.place(None),
        group: None,
        derived: HashMap::new(),
    };
    let mut block: Vec<(usize, &str)> = Vec::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            p.block(&block);
            block.clear();
        } else {
            block.push((i + 1, line));
        }
    }
    p.block(&block);
    if p.out.questions.is_empty() && p.diags.is_empty() {
        p.diags.push(Diagnostic::warning(
            file,
            None,
            "no multiple-choice questions in this file",
        ));
    }
    (p.out, p.diags)
}

struct Parser<'a> {
    file: &'a Path,
    opts: &'a ReadOptions,
    out: Imported,
    diags: Vec<Diagnostic>,
    /// The topic and default categories from the last `$CATEGORY` (or `import.toml`).
    place: Option<(String, Vec<CategoryId>)>,
    /// The last `$CATEGORY` path.
    group: Option<String>,
    /// Ids derived for questions without a title, with their lines.
    derived: HashMap<String, usize>,
}

/// The text of a question block with the line each byte came from.
struct Body {
    text: String,
    /// (byte offset in `text`, line number), one per source line.
    starts: Vec<(usize, usize)>,
}

impl Body {
    fn line(&self, offset: usize) -> usize {
        let i = self.starts.partition_point(|&(o, _)| o <= offset);
        self.starts[i.saturating_sub(1)].1
    }
}

/// A piece of an answer block: one answer, with its weight and line.
struct Answer {
    right: bool,
    weight: Option<String>,
    text: String,
    line: usize,
    arrow: bool,
}

impl Parser<'_> {
    fn error(&mut self, line: usize, message: String) {
        self.diags
            .push(Diagnostic::error(self.file, Some(line), message));
    }

    fn warning(&mut self, line: usize, message: String) {
        self.diags
            .push(Diagnostic::warning(self.file, Some(line), message));
    }

    fn skip(&mut self, line: usize, id: &str, kind_name: &str) {
        self.diags.push(
            Diagnostic::warning(
                self.file,
                Some(line),
                format!(
                    "question {id}: {kind_name} question ignored: only multiple choice is imported"
                ),
            )
            .with_code("question-type-skipped"),
        );
    }

    fn notes(&mut self, line: usize, rich: &Rich, what: &str) {
        for n in rich.notes(what) {
            self.warning(line, n);
        }
    }

    fn block(&mut self, block: &[(usize, &str)]) {
        let mut categories: Option<(usize, Vec<CategoryId>)> = None;
        let mut version: Option<(usize, u32)> = None;
        let mut body = Body {
            text: String::new(),
            starts: Vec::new(),
        };
        let mut bad_directive = false;
        for &(line, raw) in block {
            let t = raw.trim();
            if let Some(comment) = t.strip_prefix("//") {
                let comment = comment.trim();
                if let Some(list) = strip_key(comment, "categories") {
                    let mut cats = Vec::new();
                    for c in list.split([' ', ',', '\t']).filter(|c| !c.is_empty()) {
                        match CategoryId::new(c) {
                            Ok(c) => cats.push(c),
                            Err(e) => {
                                self.error(line, e.to_string());
                                bad_directive = true;
                            }
                        }
                    }
                    categories = Some((line, cats));
                } else if let Some(v) = strip_key(comment, "version") {
                    match v.trim().parse::<u32>() {
                        Ok(n) if n > 0 => version = Some((line, n)),
                        _ => {
                            self.error(
                                line,
                                format!("version {:?} must be a number from 1", v.trim()),
                            );
                            bad_directive = true;
                        }
                    }
                }
                continue;
            }
            if body.text.is_empty() {
                if let Some(path) = t.strip_prefix("$CATEGORY:") {
                    self.group = Some(path.trim().to_string());
                    self.place = self.opts.place(Some(path));
                    if self.place.is_none() {
                        self.error(
                            line,
                            format!(
                                "$CATEGORY names no topic: expected $course$/top/<topic>, found \
                                 {:?}",
                                path.trim()
                            ),
                        );
                    }
                    continue;
                }
            } else {
                body.text.push('\n');
            }
            body.starts.push((body.text.len(), line));
            body.text.push_str(raw);
        }
        if body.text.trim().is_empty() {
            for (line, what) in [
                (categories.map(|c| c.0), "categories"),
                (version.map(|v| v.0), "version"),
            ] {
                if let Some(line) = line {
                    self.warning(
                        line,
                        format!(
                            "// {what}: comment is not directly above a question; it is ignored"
                        ),
                    );
                }
            }
            return;
        }
        self.question(
            &body,
            categories.map(|c| c.1).unwrap_or_default(),
            version.map_or(1, |v| v.1),
            bad_directive,
        );
    }

    fn question(&mut self, body: &Body, categories: Vec<CategoryId>, version: u32, bad: bool) {
        let text = body.text.as_str();
        let lead = text.len() - text.trim_start().len();
        let line = body.line(lead);
        let after_lead = &text[lead..];
        let (given_id, rest_start): (Option<String>, usize) = match after_lead.strip_prefix("::") {
            Some(title_body) => {
                let Some(end) = find_unescaped(title_body, "::") else {
                    self.error(line, "the ::id:: title is not closed with ::".into());
                    return;
                };
                let id = unescape(&title_body[..end]).trim().to_string();
                if id.is_empty() {
                    self.error(line, "question has an empty ::id:: title".into());
                    return;
                }
                (Some(id), lead + 2 + end + 2)
            }
            None => (None, lead),
        };
        let rest = &text[rest_start..];
        let titled = given_id.is_some();
        let id = match given_id {
            Some(id) => id,
            // No title: an id from the category and the question's text (what Moodle names
            // an untitled question by), the same on every export and whatever the answers.
            None => {
                let text_end = find_unescaped(rest, "{").unwrap_or(rest.len());
                crate::ids::derived(
                    "gift",
                    &[
                        self.group.as_deref().unwrap_or_default(),
                        rest[..text_end].trim(),
                    ],
                )
            }
        };
        let Some((open, close)) = answer_block(rest) else {
            match find_unescaped(rest, "{") {
                Some(o) => self.error(
                    body.line(rest_start + o),
                    format!("question {id}: the answer block {{ is not closed with }}"),
                ),
                None => self.warning(
                    line,
                    format!("question {id}: no answer block {{…}}; description ignored"),
                ),
            }
            return;
        };
        let before = strip_format(&rest[..open]);
        let after = rest[close + 1..].trim();
        let mut html = unescape(before);
        if !after.is_empty() {
            html.push_str(" _____ ");
            html.push_str(&unescape(after));
        }
        let mut rich = parse_html(&html);

        let inner_start = rest_start + open + 1;
        let inner = &rest[open + 1..close];
        if let Some(kind_name) = block_kind(inner) {
            self.skip(line, &id, kind_name);
            return;
        }
        let Some(answers) = self.answers(&id, body, inner, inner_start) else {
            return;
        };
        if let Some(kind_name) = answers_kind(&answers) {
            self.skip(line, &id, kind_name);
            return;
        }
        let Some((topic, mapped)) = self.place.clone() else {
            self.error(
                line,
                format!(
                    "question {id}: no topic: put a $CATEGORY: $course$/top/<topic> line before it"
                ),
            );
            return;
        };
        let categories = if categories.is_empty() {
            mapped
        } else {
            categories
        };
        let mut ok = !bad;
        if !titled {
            if let Some(first) = self.derived.insert(id.clone(), line) {
                self.diags.push(
                    Diagnostic::error(
                        self.file,
                        Some(line),
                        format!(
                            "question {id}: same category and text as the question at line \
                             {first}, so the same derived id: give each an ::id:: title"
                        ),
                    )
                    .with_code("derived-id-collision"),
                );
                ok = false;
            }
        }
        let mut weights = Vec::new();
        for a in &answers {
            let w = match &a.weight {
                None if a.right => 100.0,
                None => 0.0,
                Some(w) => match w.trim().parse::<f64>() {
                    Ok(w) => w,
                    Err(_) => {
                        self.error(
                            a.line,
                            format!("question {id}: weight %{w}% is not a number"),
                        );
                        ok = false;
                        0.0
                    }
                },
            };
            weights.push(w);
        }
        let positive = weights.iter().filter(|&&w| w > 0.0).count();
        let kind = if positive > 1 {
            QuestionKind::Multiple
        } else {
            QuestionKind::Single
        };
        // A format marker may open each answer too (`~[plain]blue`); Moodle drops it.
        let mut riches: Vec<Rich> = answers
            .iter()
            .map(|a| parse_html(&unescape(strip_format(&a.text))))
            .collect();
        let mut media = rich.media.clone();
        for r in &riches {
            media.extend(r.media.iter().cloned());
        }
        if let Some(d) = self.opts.media(self.file, Some(line), &id, &media) {
            ok &= !d.is_error();
            self.diags.push(d);
        }
        if let Err(d) =
            self.opts
                .settle_language(self.file, Some(line), &id, &mut rich, &mut riches)
        {
            self.diags.push(d);
            ok = false;
        }
        self.notes(line, &rich, &format!("question {id}: text"));
        let mut options = Vec::new();
        for (i, ((a, w), r)) in answers.iter().zip(weights).zip(riches).enumerate() {
            let oid = letter_id(i);
            if !r.images.is_empty() {
                self.error(
                    a.line,
                    format!("question {id}, option {oid}: images in answers are not supported"),
                );
                ok = false;
            }
            self.notes(a.line, &r, &format!("question {id}, option {oid}"));
            options.push(AnswerOption {
                id: oid,
                text: r.text,
                correct: w > 0.0,
                fixed: false,
            });
        }
        let image = match rich::question_image(&rich.images, |src| {
            rich::media_path(src.strip_prefix("@@PLUGINFILE@@").unwrap_or(src))
        }) {
            Ok(image) => image,
            Err(msg) => {
                self.error(line, format!("question {id}: {msg}"));
                ok = false;
                None
            }
        };
        if ok {
            let q = Question {
                id: QuestionId(id),
                version,
                topic,
                categories,
                text: rich.text,
                kind,
                options,
                image,
            };
            let group = self.group.clone();
            self.out.push_in(q, self.file, Some(line), group.as_deref());
        }
    }

    /// Splits an answer block into answers; `None` after reporting an error.
    fn answers(&mut self, id: &str, body: &Body, inner: &str, base: usize) -> Option<Vec<Answer>> {
        let mut answers: Vec<Answer> = Vec::new();
        let mut i = 0;
        // Where feedback (after '#') runs: its text is dropped.
        let mut in_feedback = false;
        while i < inner.len() {
            let rest = &inner[i..];
            let ch = rest.chars().next().unwrap_or_default();
            if ch == '\\' {
                let n = rest.chars().nth(1).map_or(0, char::len_utf8);
                if !in_feedback {
                    if let Some(a) = answers.last_mut() {
                        a.text.push_str(&rest[..1 + n]);
                    }
                }
                i += 1 + n;
                continue;
            }
            if let Some(skip) = literal_run(rest) {
                if !in_feedback {
                    match answers.last_mut() {
                        Some(a) => a.text.push_str(&rest[..skip]),
                        None => {
                            self.error(
                                body.line(base + i),
                                format!(
                                    "question {id}: answers must start with = (right) or ~ \
                                     (wrong)"
                                ),
                            );
                            return None;
                        }
                    }
                }
                i += skip;
                continue;
            }
            match ch {
                '=' | '~' => {
                    in_feedback = false;
                    let mut text_start = i + 1;
                    let mut weight = None;
                    if let Some(w) = inner[text_start..].strip_prefix('%') {
                        if let Some(e) = w.find('%') {
                            weight = Some(w[..e].to_string());
                            text_start += e + 2;
                        }
                    }
                    answers.push(Answer {
                        right: ch == '=',
                        weight,
                        text: String::new(),
                        line: body.line(base + i),
                        arrow: false,
                    });
                    i = text_start;
                }
                '#' => {
                    if rest.starts_with("####") {
                        break;
                    }
                    in_feedback = true;
                    i += 1;
                }
                _ => {
                    if !in_feedback {
                        match answers.last_mut() {
                            Some(a) => {
                                a.text.push(ch);
                                if rest.starts_with("->") {
                                    a.arrow = true;
                                }
                            }
                            None if ch.is_whitespace() => {}
                            None => {
                                self.error(
                                    body.line(base + i),
                                    format!(
                                        "question {id}: answers must start with = (right) or ~ \
                                         (wrong)"
                                    ),
                                );
                                return None;
                            }
                        }
                    }
                    i += ch.len_utf8();
                }
            }
        }
        Some(answers)
    }
}

/// The value after `key:` in a comment such as `categories: cat-1`, case-insensitive.
fn strip_key<'a>(comment: &'a str, key: &str) -> Option<&'a str> {
    let (k, v) = comment.split_once(':')?;
    k.trim().eq_ignore_ascii_case(key).then_some(v)
}

/// Drops a leading `[html]`-style format marker.
fn strip_format(text: &str) -> &str {
    let t = text.trim_start();
    for f in ["[html]", "[moodle]", "[plain]", "[markdown]"] {
        if let Some(r) = t.strip_prefix(f) {
            return r;
        }
    }
    t
}

/// The GIFT type of an answer block that is not a choice question, by its shape alone.
fn block_kind(inner: &str) -> Option<&'static str> {
    let t = inner.trim();
    let head = t.split('#').next().unwrap_or_default().trim();
    if t.is_empty() {
        Some("essay")
    } else if t.starts_with('#') {
        Some("numeric")
    } else if ["T", "F", "TRUE", "FALSE"].contains(&head) {
        Some("true/false")
    } else {
        None
    }
}

/// The GIFT type of parsed answers that are not a choice question.
///
/// As in Moodle, answers that all start with `=` are the accepted answers of a short-answer
/// question, whatever their weights (`{=Frog =%50%Cat =%0%*}`, `{=%100%Moodler#}`): only a
/// `~` makes a choice question.
fn answers_kind(answers: &[Answer]) -> Option<&'static str> {
    if answers.iter().any(|a| a.right && a.arrow) {
        Some("matching")
    } else if answers.iter().all(|a| a.right) {
        Some("short-answer")
    } else {
        None
    }
}

/// The length of an HTML tag or `{mlang …}` marker at the start of `rest`, which is taken
/// literally (its `=` and braces are not GIFT syntax).
fn literal_run(rest: &str) -> Option<usize> {
    if let Some(tag) = rest.strip_prefix('<') {
        let next = tag.chars().next()?;
        if next.is_ascii_alphabetic() || next == '/' || next == '!' {
            let mut quote = None;
            for (i, ch) in rest.char_indices().skip(1) {
                match (quote, ch) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => quote = Some(ch),
                    (None, '>') => return Some(i + 1),
                    (None, '\n') => return None,
                    _ => {}
                }
            }
        }
        return None;
    }
    let after = rest.strip_prefix("{mlang")?;
    if !after.starts_with(['}', ' ']) {
        return None;
    }
    after.find('}').map(|e| "{mlang".len() + e + 1)
}

/// The first `pat` in `s` that is not escaped and not inside a literal run.
fn find_unescaped(s: &str, pat: &str) -> Option<usize> {
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if let Some(escaped) = rest.strip_prefix('\\') {
            i += 1 + escaped.chars().next().map_or(0, char::len_utf8);
            continue;
        }
        if let Some(n) = literal_run(rest) {
            i += n;
            continue;
        }
        if rest.starts_with(pat) {
            return Some(i);
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// The byte offsets of the answer block's `{` and `}` in `s`.
fn answer_block(s: &str) -> Option<(usize, usize)> {
    let open = find_unescaped(s, "{")?;
    let close = find_unescaped(&s[open + 1..], "}")?;
    Some((open, open + 1 + close))
}

/// GIFT escapes resolved: `\=` → `=`, `\n` → line break, and so on.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(e @ ('=' | '~' | '#' | '{' | '}' | ':' | '\\')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `src` as a file in Kazakh: untagged text (`Q`) is Kazakh.
    fn p(src: &str) -> (Imported, Vec<Diagnostic>) {
        let opts = ReadOptions {
            language: Some(synaq_core::Lang::Kk),
            ..ReadOptions::default()
        };
        parse_with(Path::new("g.gift"), src, &opts)
    }

    /// Only the errors, or every diagnostic when there is none.
    fn errors(src: &str) -> Vec<Diagnostic> {
        let (_, d) = p(src);
        let errs: Vec<_> = d.iter().filter(|d| d.is_error()).cloned().collect();
        if errs.is_empty() {
            d
        } else {
            errs
        }
    }

    const SAMPLE: &str = r#"// A comment about the file.
$CATEGORY: $course$/top/fire

// categories: cat-1, cat-2
// version: 3
::fire-001::{mlang kk}Өрт кезінде не істеу керек?{mlang}{mlang ru}Что делать при пожаре?{mlang} {
  =<span lang="kk" class="multilang">101-ге қоңырау шалу</span><span lang="ru" class="multilang">Позвонить 101</span> #Дұрыс
  ~\{mlang kk\}Жасырыну\{mlang\}\{mlang ru\}Спрятаться\{mlang\}
}

// categories: cat-2
::fire-002::{mlang kk}Қайсысы дұрыс? 1 \= 1{mlang}{mlang ru}Что верно? 1 \= 1{mlang}{
~%50%{mlang kk}A\~{mlang}{mlang ru}А\~{mlang}
~%50%{mlang kk}Ә\#{mlang}{mlang ru}Б\#{mlang}
~%-100%{mlang kk}В\{\}\:{mlang}{mlang ru}В\{\}\:{mlang}
####general feedback
}
"#;

    #[test]
    fn reads_questions() {
        let (imp, diags) = p(SAMPLE);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(imp.questions.len(), 2);
        let q = &imp.questions[0];
        assert_eq!(q.id.0, "fire-001");
        assert_eq!(q.topic, "fire");
        assert_eq!(q.version, 3);
        assert_eq!(q.kind, QuestionKind::Single);
        let cats: Vec<_> = q.categories.iter().map(CategoryId::as_str).collect();
        assert_eq!(cats, ["cat-1", "cat-2"]);
        assert_eq!(q.text.kk, "Өрт кезінде не істеу керек?");
        assert_eq!(q.options[0].text.ru, "Позвонить 101");
        assert!(q.options[0].correct);
        assert_eq!(q.options[1].text.kk, "Жасырыну");
        assert!(!q.options[1].correct);
        assert_eq!(imp.origins[0].line, Some(6));

        let q = &imp.questions[1];
        assert_eq!(q.kind, QuestionKind::Multiple);
        assert_eq!(q.version, 1);
        assert_eq!(q.text.ru, "Что верно? 1 = 1");
        let opts: Vec<_> = q
            .options
            .iter()
            .map(|o| (o.id.as_str(), o.text.ru.as_str(), o.correct))
            .collect();
        assert_eq!(
            opts,
            [("a", "А~", true), ("b", "Б#", true), ("c", "В{}:", false)]
        );
        assert_eq!(imp.origins[1].line, Some(12));
    }

    #[test]
    fn other_types_are_skipped_with_a_warning() {
        let src = "$CATEGORY: x\n\n::a::Q {T}\n\n::b::Q {=yes =aye}\n\n::c::Q {#3:1}\n\n::d::Q {}\n\n::e::Q {=a -> b =c -> d}\n\n::f::Just text\n";
        let (imp, diags) = p(src);
        assert!(imp.questions.is_empty());
        let lines: Vec<_> = diags
            .iter()
            .map(|d| (d.line.unwrap(), d.is_error()))
            .collect();
        assert_eq!(
            lines,
            [
                (3, false),
                (5, false),
                (7, false),
                (9, false),
                (11, false),
                (13, false)
            ],
            "{diags:?}"
        );
    }

    #[test]
    fn problems_have_lines() {
        let d = errors("$CATEGORY: x\n\nno title {=a ~b}\n\nno title {=a ~b}\n");
        assert_eq!((d[0].line, d[0].is_error()), (Some(5), true));
        assert_eq!(d[0].code, Some("derived-id-collision"), "{}", d[0]);
        let d = errors("::a::Q {=a ~b}\n");
        assert!(d[0].message.contains("topic"), "{}", d[0]);
        let d = errors("$CATEGORY: x\n\n::a::Q {\n=a\n~b\n");
        assert_eq!(d[0].line, Some(3), "{}", d[0]);
        let d = errors("$CATEGORY: x\n\n::a::Q {\n=a\n~%x%b\n}");
        assert_eq!(d[0].line, Some(5), "{}", d[0]);
        let d = errors("$CATEGORY: x\n\n// categories: Cat 1\n::a::Q {=a ~b}\n");
        assert_eq!(d[0].line, Some(3), "{}", d[0]);
        let d = errors("$CATEGORY: x\n\n// categories: cat-1\n\n::a::Q {=a ~b}\n");
        assert_eq!((d[0].line, d[0].is_error()), (Some(3), false), "{}", d[0]);
        let d = errors("$CATEGORY: x\n\n::a::Q {\n=a\n~<img src=\"b.png\">\n}");
        assert_eq!(d[0].line, Some(5), "{}", d[0]);
    }

    #[test]
    fn images_and_missing_words() {
        let src = "$CATEGORY: $course$/top/signs\n\n::s-1::<p>Белгі <img src=\"media/no-fire.png\" alt=\"{mlang kk}Белгі{mlang}{mlang ru}Знак{mlang}\"></p> {=a ~b} қандай?\n";
        let (imp, _) = p(src);
        let q = &imp.questions[0];
        let img = q.image.as_ref().unwrap();
        assert_eq!(img.path, "media/no-fire.png");
        assert_eq!(img.alt.ru, "Знак");
        assert_eq!(q.text.kk, "Белгі _____ қандай?");
    }

    #[test]
    fn untitled_questions_get_an_id_from_category_and_text() {
        let (imp, d) = p("$CATEGORY: $course$/top/x\n\nСұрақ? {=a ~b}\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            imp.questions[0].id.0,
            crate::ids::derived("gift", &["$course$/top/x", "Сұрақ?"])
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(
            unescape(r"a\=b\~c\#d\{e\}f\:g\\h\ni\q"),
            "a=b~c#d{e}f:g\\h\ni\\q"
        );
        assert_eq!(find_unescaped(r"a\{b{", "{"), Some(4));
        assert_eq!(find_unescaped("{mlang kk}x{", "{"), Some(11));
        assert_eq!(find_unescaped("<span lang=\"kk\">{", "{"), Some(16));
    }
}
