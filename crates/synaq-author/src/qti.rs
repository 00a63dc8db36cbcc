//! IMS QTI 2.1 and 3.0 items (`*.xml`, one item per file).
//!
//! The root element is `assessmentItem` (QTI 2.1, namespace
//! `http://www.imsglobal.org/xsd/imsqti_v2p1`; 2.2 is accepted too) or `qti-assessment-item`
//! (QTI 3.0, namespace `http://www.imsglobal.org/xsd/imsqtiasi_v3p0`; the misspelling
//! `imsqti_asi_v3p0` that earlier Synaq documents used is accepted too). QTI 3.0's kebab-case
//! names (`qti-choice-interaction`, `max-choices`) are read as their QTI 2.1 equivalents.
//!
//! Conventions:
//!
//! * `identifier` on the root is the **question id**.
//! * The item must hold one `choiceInteraction` / `qti-choice-interaction`; an item with no
//!   choice interaction is skipped with a warning, one with several is an error.
//!   `maxChoices="1"` (QTI's default when absent) makes a single-choice question, any other
//!   value (`0` = no limit) a multiple-choice one.
//! * Each `simpleChoice` / `qti-simple-choice` is an option. Its id is its `identifier`
//!   lowercased, without a leading `choice` (`A` → `a`, `ChoiceB` → `b`, `choice_3` → `3`).
//! * The **correct** options are the `value`s of the `correctResponse` of the
//!   `responseDeclaration` the interaction names (`qti-correct-response` / `qti-value`).
//!   Synaq has no per-option weights: a `mapping` (partial credit) is not used, with a
//!   warning (`qti-partial-credit`) that says which options count as correct; the exam
//!   profile's `multiple_choice` scoring decides the credit. Without a `correctResponse`, the
//!   options the mapping gives a positive value are the correct ones.
//! * A choice with `fixed="true"` ("None of the above") keeps its position when the kiosk
//!   shuffles the options ([`synaq_core::AnswerOption::fixed`]); the others are shuffled
//!   around it. The interaction's `shuffle="false"` is not honoured: Synaq always shuffles
//!   (except fixed options), so that neighbours do not see the same order.
//! * **Text** is the item body (with the interaction's `prompt`, without its choices, feedback
//!   and rubric blocks); an option's text is the choice's content. Both are bilingual through
//!   `xml:lang` (or `lang`) attributes: `<p xml:lang="kk">…</p><p xml:lang="ru">…</p>`,
//!   `<span xml:lang="kk">…</span>`. Text outside them belongs to every language, as in the
//!   crate docs. An `xml:lang` on the root element is ignored.
//! * **Topic, categories and version** are written in an XML comment anywhere in the file:
//!   `<!-- synaq: topic=fire categories=cat-1,cat-2 version=2 -->`. Without `topic=`, the
//!   name of the folder holding the file is the topic (except a folder called `questions`,
//!   the source's top folder, which is an error). `categories=` is required; `version=`
//!   defaults to 1.
//! * An `<img src alt>` in the body is the question's image; `src` is normalised into
//!   `media/` as in the crate docs (`images/x.png` → `media/images/x.png`). `alt` may use the
//!   `{mlang}` form, or the `<img>` may be repeated in each language's element.
//!
//! Problems are reported at the line of the element (or comment) concerned.

use std::path::Path;

use synaq_core::{AnswerOption, CategoryId, Question, QuestionId, QuestionKind};

use crate::lines::Lines;
use crate::rich::{self, is_block, Composer, Ctx, Rich};
use crate::xml::{self, Doc, Element, Node};
use crate::{Diagnostic, Imported, ReadOptions};

/// The QTI 2.1 namespace.
pub const QTI_2P1_NAMESPACE: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";
/// The QTI 2.2 namespace (read like 2.1).
pub const QTI_2P2_NAMESPACE: &str = "http://www.imsglobal.org/xsd/imsqti_v2p2";
/// The QTI 3.0 namespace, as the standard spells it.
pub const QTI_3P0_NAMESPACE: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
/// The QTI 3.0 namespace as earlier Synaq documents misspelt it; read like the standard's.
const QTI_3P0_MISSPELT: &str = "http://www.imsglobal.org/xsd/imsqti_asi_v3p0";

/// Elements whose content is never question or option text.
const SKIPPED: [&str; 8] = [
    "feedbackInline",
    "feedbackBlock",
    "modalFeedback",
    "rubricBlock",
    "templateInline",
    "templateBlock",
    "stylesheet",
    "companionMaterialsInfo",
];

/// Reads a QTI item; `file` names it in diagnostics, and its folder is the fallback topic.
pub fn parse(file: &Path, src: &str) -> (Imported, Vec<Diagnostic>) {
    parse_with(file, src, &ReadOptions::default())
}

/// Reads a QTI item with what `import.toml` says about it.
pub fn parse_with(file: &Path, src: &str, opts: &ReadOptions) -> (Imported, Vec<Diagnostic>) {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let lines = Lines::new(src);
    match xml::parse(src) {
        Ok(doc) => from_doc(file, doc, &lines, opts),
        Err(e) => (
            Imported::default(),
            vec![Diagnostic::error(
                file,
                Some(lines.line(e.pos)),
                format!("not well-formed XML: {}", e.message),
            )],
        ),
    }
}

/// `qti-choice-interaction` → `choiceInteraction`, `max-choices` → `maxChoices`.
fn camel(name: &str) -> String {
    let name = name.strip_prefix("qti-").unwrap_or(name);
    let mut out = String::with_capacity(name.len());
    let mut up = false;
    for c in name.chars() {
        if c == '-' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Renames QTI 3.0 elements and attributes to their QTI 2.1 names.
fn normalise_v3(el: &mut Element) {
    if el.name.starts_with("qti-") {
        el.name = camel(&el.name);
    }
    for (k, _) in &mut el.attrs {
        if k.contains('-') && !k.contains(':') && !k.starts_with("data-") && !k.starts_with("aria-")
        {
            *k = camel(k);
        }
    }
    for n in &mut el.children {
        if let Node::Element(e) = n {
            normalise_v3(e);
        }
    }
}

#[derive(Default)]
struct Meta {
    topic: Option<String>,
    categories: Option<Vec<CategoryId>>,
    version: Option<u32>,
}

struct Reader<'a> {
    file: &'a Path,
    lines: &'a Lines,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(&mut self, pos: usize, message: String) {
        let line = self.lines.line(pos);
        self.diags
            .push(Diagnostic::error(self.file, Some(line), message));
    }

    fn warning(&mut self, pos: usize, message: String) {
        let line = self.lines.line(pos);
        self.diags
            .push(Diagnostic::warning(self.file, Some(line), message));
    }

    fn notes(&mut self, pos: usize, rich: &Rich, what: &str) {
        for n in rich.notes(what) {
            self.warning(pos, n);
        }
    }

    /// Reads `<!-- synaq: … -->` comments; `None` after reporting an error.
    fn meta(&mut self, doc: &Doc) -> Option<Meta> {
        let mut meta = Meta::default();
        let mut ok = true;
        for (pos, comment) in &doc.comments {
            let Some(body) = comment.trim().strip_prefix("synaq:") else {
                continue;
            };
            for pair in body.split_whitespace() {
                let Some((key, value)) = pair.split_once('=') else {
                    self.error(*pos, format!("synaq comment: {pair:?} is not key=value"));
                    ok = false;
                    continue;
                };
                match key {
                    "topic" if !value.is_empty() => meta.topic = Some(value.to_string()),
                    "categories" => {
                        let mut cats = Vec::new();
                        for c in value.split(',').filter(|c| !c.is_empty()) {
                            match CategoryId::new(c) {
                                Ok(c) => cats.push(c),
                                Err(e) => {
                                    self.error(*pos, format!("synaq comment: {e}"));
                                    ok = false;
                                }
                            }
                        }
                        meta.categories = Some(cats);
                    }
                    "version" => match value.parse::<u32>() {
                        Ok(v) if v > 0 => meta.version = Some(v),
                        _ => {
                            self.error(
                                *pos,
                                format!("synaq comment: version {value:?} must be a number from 1"),
                            );
                            ok = false;
                        }
                    },
                    _ => self.warning(
                        *pos,
                        format!("synaq comment: unknown key {key:?} ignored (topic, categories, version)"),
                    ),
                }
            }
        }
        ok.then_some(meta)
    }
}

/// Feeds the text of `el`'s children to `c`; in the item body (`body`), a choice interaction
/// contributes only its prompt.
fn walk(c: &mut Composer, el: &Element, ctx: Ctx, body: bool) {
    for n in &el.children {
        let e = match n {
            Node::Text(t) => {
                c.push_text(ctx, t);
                continue;
            }
            Node::Element(e) => e,
        };
        if SKIPPED.contains(&e.name.as_str()) {
            continue;
        }
        let lang = e.attr("xml:lang").or_else(|| e.attr("lang"));
        let ctx = match lang.filter(|l| !l.trim().is_empty()) {
            Some(l) => c.lang_ctx(l),
            None => ctx,
        };
        if e.name == "img" {
            let src = e.attr("src").unwrap_or_default();
            c.push_image(ctx, src, e.attr("alt").unwrap_or_default());
            continue;
        }
        if matches!(
            e.name.as_str(),
            "audio" | "video" | "object" | "embed" | "iframe" | "source"
        ) {
            // Sound or video (its fallback content is not text); see `Rich::media`.
            let src = e.attr("src").or_else(|| e.attr("data"));
            if let Some(src) = src {
                c.push_media(src);
            }
            let mut inner = Composer::new();
            walk(&mut inner, e, ctx, false);
            for m in inner.finish().media {
                c.push_media(&m);
            }
            if src.is_none() && !matches!(e.name.as_str(), "audio" | "video") {
                c.push_media(&format!("<{}>", e.name));
            }
            continue;
        }
        if body && e.name == "choiceInteraction" {
            for p in e.children_named("prompt") {
                c.push_break();
                walk(c, p, ctx, false);
                c.push_break();
            }
            continue;
        }
        let block = is_block(&e.name) || e.name == "prompt";
        if block {
            c.push_break();
        }
        walk(c, e, ctx, body);
        if block {
            c.push_break();
        }
    }
}

/// An option id from a choice identifier, see the module docs.
fn option_id(identifier: &str) -> String {
    let lower = identifier.trim().to_lowercase();
    match lower.strip_prefix("choice") {
        Some(rest) if !rest.trim_start_matches(['_', '-']).is_empty() => {
            rest.trim_start_matches(['_', '-']).to_string()
        }
        _ => lower,
    }
}

/// The topic from the name of the folder holding `file`, unless it is `questions`.
fn folder_topic(file: &Path) -> Option<String> {
    let name = file.parent()?.file_name()?.to_str()?;
    (name != "questions" && !name.is_empty()).then(|| name.to_string())
}

/// Reads an already parsed QTI document.
pub(crate) fn from_doc(
    file: &Path,
    mut doc: Doc,
    lines: &Lines,
    opts: &ReadOptions,
) -> (Imported, Vec<Diagnostic>) {
    let mut r = Reader {
        file,
        lines,
        diags: Vec::new(),
    };
    let mut out = Imported::default();
    let (v3, expected) = match doc.root.name.as_str() {
        "qti-assessment-item" => (true, &[QTI_3P0_NAMESPACE, QTI_3P0_MISSPELT][..]),
        "assessmentItem" => (false, &[QTI_2P1_NAMESPACE, QTI_2P2_NAMESPACE][..]),
        other => {
            let message = format!(
                "expected a QTI <assessmentItem> or <qti-assessment-item>, found <{other}>"
            );
            r.error(doc.root.pos, message);
            return (out, r.diags);
        }
    };
    if v3 {
        normalise_v3(&mut doc.root);
    }
    let root = &doc.root;
    let rpos = root.pos;
    match root.attr("xmlns") {
        Some(ns) if expected.contains(&ns) => {}
        ns => r.warning(
            rpos,
            format!(
                "unexpected namespace {:?} (expected {})",
                ns.unwrap_or_default(),
                expected[0]
            ),
        ),
    }
    let id = root
        .attr("identifier")
        .unwrap_or_default()
        .trim()
        .to_string();
    if id.is_empty() {
        r.error(rpos, "QTI item has no identifier".into());
        return (out, r.diags);
    }
    let Some(body) = root.child("itemBody") else {
        r.error(rpos, format!("question {id}: no itemBody"));
        return (out, r.diags);
    };
    let mut interactions = Vec::new();
    body.descendants("choiceInteraction", &mut interactions);
    let ci = match interactions.as_slice() {
        [] => {
            r.warning(
                rpos,
                format!("question {id}: no choice interaction; item ignored (only choice items are imported)"),
            );
            return (out, r.diags);
        }
        [ci] => *ci,
        [_, second, ..] => {
            r.error(
                second.pos,
                format!(
                    "question {id}: more than one choice interaction; Synaq reads one per item"
                ),
            );
            return (out, r.diags);
        }
    };
    let Some(meta) = r.meta(&doc) else {
        return (out, r.diags);
    };
    let mut ok = true;
    let topic = match meta
        .topic
        .or_else(|| opts.topic.clone())
        .or_else(|| folder_topic(file))
    {
        Some(t) => t,
        None => {
            r.error(
                rpos,
                format!("question {id}: no topic: add <!-- synaq: topic=… categories=… --> or put the file in a topic folder"),
            );
            ok = false;
            String::new()
        }
    };
    let categories = match meta.categories {
        Some(c) => c,
        None if !opts.categories.is_empty() => opts.categories.clone(),
        None => {
            r.error(
                rpos,
                format!("question {id}: no categories: add <!-- synaq: categories=cat-1,cat-2 -->"),
            );
            ok = false;
            Vec::new()
        }
    };

    let kind = match ci.attr("maxChoices").map(str::trim) {
        None | Some("1") => QuestionKind::Single,
        Some(n) if n.parse::<u32>().is_ok() => QuestionKind::Multiple,
        Some(n) => {
            r.error(
                ci.pos,
                format!("question {id}: maxChoices {n:?} is not a number"),
            );
            ok = false;
            QuestionKind::Single
        }
    };
    let response = ci.attr("responseIdentifier").unwrap_or_default();
    let decl = root
        .children_named("responseDeclaration")
        .find(|d| d.attr("identifier") == Some(response));
    // Partial credit: QTI's mapping of choices to values, which Synaq has no place for.
    let mapping: Vec<(String, String)> = decl
        .and_then(|d| d.child("mapping"))
        .map(|m| {
            m.children_named("mapEntry")
                .map(|e| {
                    (
                        e.attr("mapKey").unwrap_or_default().trim().to_string(),
                        e.attr("mappedValue").unwrap_or_default().trim().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mapping_pos = decl.and_then(|d| d.child("mapping")).map(|m| m.pos);
    let correct_values: Vec<(usize, String)> = match decl.and_then(|d| d.child("correctResponse")) {
        Some(cr) => cr
            .children_named("value")
            .map(|v| (v.pos, v.text().trim().to_string()))
            .collect(),
        None if !mapping.is_empty() => mapping
            .iter()
            .filter(|(_, v)| v.parse::<f64>().is_ok_and(|v| v > 0.0))
            .map(|(k, _)| (mapping_pos.unwrap_or(ci.pos), k.clone()))
            .collect(),
        None => {
            r.error(
                decl.map_or(ci.pos, |d| d.pos),
                format!("question {id}: no correctResponse for response {response:?}"),
            );
            ok = false;
            Vec::new()
        }
    };
    if let Some(pos) = mapping_pos {
        let values: Vec<String> = mapping.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let correct: Vec<&str> = correct_values.iter().map(|(_, v)| v.as_str()).collect();
        let line = lines.line(pos);
        r.diags.push(
            Diagnostic::warning(
                file,
                Some(line),
                format!(
                    "question {id}: the partial credit of the mapping ({}) is not used: {} \
                     count as correct and the others as wrong, and the exam profile's \
                     multiple_choice scoring (all-or-nothing unless set to partial) gives the \
                     credit",
                    values.join(", "),
                    correct.join(", ")
                ),
            )
            .with_code("qti-partial-credit"),
        );
    }

    let mut c = Composer::new();
    walk(&mut c, body, Ctx::Neutral, true);
    let mut rich = c.finish();

    let mut choices = Vec::new();
    for choice in ci.children_named("simpleChoice") {
        let Some(ident) = choice.attr("identifier").map(str::trim) else {
            r.error(
                choice.pos,
                format!("question {id}: simpleChoice has no identifier"),
            );
            ok = false;
            continue;
        };
        let mut c = Composer::new();
        walk(&mut c, choice, Ctx::Neutral, false);
        let fixed = matches!(choice.attr("fixed").map(str::trim), Some("true" | "1"));
        choices.push((choice, ident.to_string(), fixed, c.finish()));
    }
    let mut media = rich.media.clone();
    for (_, _, _, rc) in &choices {
        media.extend(rc.media.iter().cloned());
    }
    let line = Some(lines.line(rpos));
    if let Some(d) = opts.media(file, line, &id, &media) {
        ok &= !d.is_error();
        r.diags.push(d);
    }
    let mut riches: Vec<Rich> = choices.iter().map(|c| c.3.clone()).collect();
    if let Err(d) = opts.settle_language(file, line, &id, &mut rich, &mut riches) {
        r.diags.push(d);
        ok = false;
    }
    r.notes(body.pos, &rich, &format!("question {id}: text"));

    let mut options = Vec::new();
    let mut identifiers = Vec::new();
    for ((choice, ident, fixed, _), rc) in choices.into_iter().zip(riches) {
        let oid = option_id(&ident);
        if !rc.images.is_empty() {
            r.error(
                choice.pos,
                format!("question {id}, option {oid}: images in answers are not supported"),
            );
            ok = false;
        }
        r.notes(choice.pos, &rc, &format!("question {id}, option {oid}"));
        options.push(AnswerOption {
            correct: correct_values.iter().any(|(_, v)| *v == ident),
            fixed,
            id: oid,
            text: rc.text,
        });
        identifiers.push(ident);
    }
    for (pos, v) in &correct_values {
        if !identifiers.contains(v) {
            r.error(
                *pos,
                format!("question {id}: correct response {v:?} is not a choice of the interaction"),
            );
            ok = false;
        }
    }

    let image = match rich::question_image(&rich.images, rich::media_path) {
        Ok(image) => image,
        Err(msg) => {
            r.error(body.pos, format!("question {id}: {msg}"));
            ok = false;
            None
        }
    };
    if ok {
        let q = Question {
            id: QuestionId(id),
            version: meta.version.unwrap_or(1),
            topic,
            categories,
            text: rich.text,
            kind,
            options,
            image,
        };
        out.push(q, file, Some(lines.line(rpos)));
    }
    (out, r.diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V21: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="el-007" title="t" adaptive="false" timeDependent="false">
  <!-- synaq: topic=electrical categories=cat-2,cat-3 version=5 -->
  <responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="identifier">
    <correctResponse><value>ChoiceA</value><value>ChoiceC</value></correctResponse>
  </responseDeclaration>
  <itemBody>
    <p xml:lang="kk">Қай кернеу қауіпті?</p>
    <p xml:lang="ru">Какое напряжение опасно?</p>
    <p><img src="images/volt.png" alt="{mlang kk}Кернеу{mlang}{mlang ru}Напряжение{mlang}"/></p>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="true" maxChoices="0">
      <prompt><span xml:lang="kk">Барлығын таңдаңыз.</span><span xml:lang="ru">Выберите все.</span></prompt>
      <simpleChoice identifier="ChoiceA"><span xml:lang="kk">380 В</span><span xml:lang="ru">380 В</span></simpleChoice>
      <simpleChoice identifier="ChoiceB"><span xml:lang="kk">12 В</span><span xml:lang="ru">12 В</span><feedbackInline identifier="x" outcomeIdentifier="FEEDBACK">no</feedbackInline></simpleChoice>
      <simpleChoice identifier="ChoiceC"><span xml:lang="kk">220 В</span><span xml:lang="ru">220 В</span></simpleChoice>
    </choiceInteraction>
  </itemBody>
</assessmentItem>
"#;

    fn p(path: &str, src: &str) -> (Imported, Vec<Diagnostic>) {
        parse(Path::new(path), src)
    }

    #[test]
    fn reads_a_qti_2_1_item() {
        let (imp, diags) = p("questions/q.xml", V21);
        assert!(diags.is_empty(), "{diags:?}");
        let q = &imp.questions[0];
        assert_eq!(q.id.0, "el-007");
        assert_eq!(q.version, 5);
        assert_eq!(q.topic, "electrical");
        assert_eq!(q.kind, QuestionKind::Multiple);
        assert_eq!(q.text.kk, "Қай кернеу қауіпті? Барлығын таңдаңыз.");
        assert_eq!(q.text.ru, "Какое напряжение опасно? Выберите все.");
        let opts: Vec<_> = q
            .options
            .iter()
            .map(|o| (o.id.as_str(), o.text.kk.as_str(), o.correct))
            .collect();
        assert_eq!(
            opts,
            [
                ("a", "380 В", true),
                ("b", "12 В", false),
                ("c", "220 В", true)
            ]
        );
        let img = q.image.as_ref().unwrap();
        assert_eq!(img.path, "media/images/volt.png");
        assert_eq!(img.alt.kk, "Кернеу");
        assert_eq!(imp.origins[0].line, Some(2));
    }

    #[test]
    fn topic_falls_back_to_the_folder() {
        let src = V21.replace("topic=electrical ", "");
        let (imp, _) = p("questions/ppe/q.xml", &src);
        assert_eq!(imp.questions[0].topic, "ppe");
        let (imp, diags) = p("questions/q.xml", &src);
        assert!(imp.questions.is_empty());
        assert_eq!(diags[0].line, Some(2));
        assert!(diags[0].message.contains("topic"));
    }

    #[test]
    fn problems_have_lines() {
        let src = V21.replace(" categories=cat-2,cat-3", "");
        let (_, d) = p("q.xml", &src);
        assert_eq!(d[0].line, Some(2));
        assert!(d[0].message.contains("categories"));
        let src = V21.replace("<value>ChoiceC</value>", "<value>ChoiceZ</value>");
        let (_, d) = p("q.xml", &src);
        assert_eq!(d[0].line, Some(5), "{}", d[0]);
        let src = V21.replace("version=5", "version=x");
        let (_, d) = p("q.xml", &src);
        assert_eq!(d[0].line, Some(3), "{}", d[0]);
        let src = V21.replace("maxChoices=\"0\"", "maxChoices=\"many\"");
        let (_, d) = p("q.xml", &src);
        assert_eq!(d[0].line, Some(11), "{}", d[0]);
        let src = V21.replace(" identifier=\"el-007\"", "");
        let (_, d) = p("q.xml", &src);
        assert_eq!(d[0].line, Some(2), "{}", d[0]);
        let src = V21.replace("imsqti_v2p1", "imsqti_v9");
        let (imp, d) = p("q.xml", &src);
        assert_eq!(imp.questions.len(), 1);
        assert_eq!((d[0].line, d[0].is_error()), (Some(2), false));
    }

    #[test]
    fn single_choice_by_default() {
        let src = V21.replace(" maxChoices=\"0\"", "");
        let (imp, _) = p("q.xml", &src);
        assert_eq!(imp.questions[0].kind, QuestionKind::Single);
    }

    #[test]
    fn non_choice_items_are_skipped() {
        let src = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x"><itemBody><p>Text</p><textEntryInteraction responseIdentifier="R"/></itemBody></assessmentItem>"#;
        let (imp, d) = p("q.xml", src);
        assert!(imp.questions.is_empty());
        assert!(!d[0].is_error());
    }

    #[test]
    fn names() {
        assert_eq!(camel("qti-choice-interaction"), "choiceInteraction");
        assert_eq!(camel("max-choices"), "maxChoices");
        assert_eq!(option_id("ChoiceB"), "b");
        assert_eq!(option_id("A"), "a");
        assert_eq!(option_id("choice_3"), "3");
        assert_eq!(option_id("choice"), "choice");
        assert_eq!(option_id("opt1"), "opt1");
    }
}
