//! Moodle XML (`<quiz>` files, as Moodle's question bank exports them).
//!
//! Conventions:
//!
//! * Only `<question type="multichoice">` is imported; other types (true/false, short
//!   answer, essay, …) are skipped with a warning.
//! * A `<question type="category">` sets the **topic** of the questions after it: the last
//!   segment of its path, so `$course$/top/fire` gives topic `fire`. A multichoice question
//!   before any category question is an error.
//! * `<idnumber>` is the **question id** (Moodle's "ID number" field). Without one (it is
//!   optional in Moodle), the id is derived from the category path and the `<name>`, the
//!   same on every export (`moodle-` and 16 hex digits), with one warning per file
//!   (`derived-id`); two such questions with the same category and name are an error.
//! * A `[[category]]` rule of `import.toml` maps a category path to a topic and categories.
//! * Sound or video (a linked or embedded `.mp3`, `<audio>`, …) refuses the question unless
//!   `without_media` is set, see the crate docs.
//! * `<questiontext>` and each `<answer>`'s `<text>` are HTML in Kazakh and Russian using the
//!   multilang spans `<span lang="kk" class="multilang">…</span><span lang="ru"
//!   class="multilang">…</span>`, or the `{mlang kk}…{mlang}{mlang ru}…{mlang}` form (see the
//!   crate docs for what happens to text outside them). Tags are stripped.
//! * `<single>true</single>` (or no `<single>`) makes a single-choice question, `false` a
//!   multiple-choice one.
//! * An answer is **correct** when its `fraction` is 100 (single choice) or above 0
//!   (multiple choice). A single-choice answer with partial credit counts as wrong, with a
//!   warning.
//! * **Tags** (`<tags><tag><text>cat-1</text></tag>…</tags>`) are the question's categories.
//!   A tag `version=N` sets the question's version (default 1). Other tags are ignored with
//!   a warning.
//! * **Images**: a `<file name="x.png" path="/" encoding="base64">` inside `<questiontext>`,
//!   referred to as `@@PLUGINFILE@@/x.png` by an `<img>` in the text, becomes the image
//!   `media/x.png` and its bytes are returned in [`Imported::media`]. When another question
//!   of the same file already embedded a different `x.png`, the second becomes
//!   `media/<id>/x.png`. Embedded files the text does not show are skipped with a warning.
//!   An `<img>` with an ordinary relative `src` refers to a file of the source's `media/`.
//!
//! Line numbers come from the position of each element in the file.

use std::collections::HashMap;
use std::path::Path;

use base64::Engine as _;
use synaq_core::{AnswerOption, CategoryId, Question, QuestionId, QuestionKind};

use crate::lines::Lines;
use crate::rich::{self, parse_html, percent_decode, squash, Rich};
use crate::xml::{self, Doc, Element};
use crate::{letter_id, Diagnostic, Imported, ReadOptions};

/// Reads a Moodle XML file; `file` names it in diagnostics.
pub fn parse(file: &Path, src: &str) -> (Imported, Vec<Diagnostic>) {
    parse_with(file, src, &ReadOptions::default())
}

/// Reads a Moodle XML file with what `import.toml` says about it.
pub fn parse_with(file: &Path, src: &str, opts: &ReadOptions) -> (Imported, Vec<Diagnostic>) {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let lines = Lines::new(src);
    match xml::parse(src) {
        Ok(doc) if doc.root.name == "quiz" => from_doc(file, &doc, &lines, opts),
        Ok(doc) => (
            Imported::default(),
            vec![Diagnostic::error(
                file,
                Some(lines.line(doc.root.pos)),
                format!("expected a Moodle XML <quiz>, found <{}>", doc.root.name),
            )],
        ),
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

struct Reader<'a> {
    file: &'a Path,
    lines: &'a Lines,
    opts: &'a ReadOptions,
    out: Imported,
    diags: Vec<Diagnostic>,
    /// Ids derived for questions without an `<idnumber>`, with their lines.
    derived: HashMap<String, usize>,
    /// How many questions had no `<idnumber>`.
    no_idnumber: usize,
}

struct Embedded {
    key: String,
    bytes: Vec<u8>,
    line: usize,
    used: bool,
}

impl Reader<'_> {
    fn line(&self, e: &Element) -> usize {
        self.lines.line(e.pos)
    }

    fn error(&mut self, line: usize, message: String) {
        self.diags
            .push(Diagnostic::error(self.file, Some(line), message));
    }

    fn warning(&mut self, line: usize, message: String) {
        self.diags
            .push(Diagnostic::warning(self.file, Some(line), message));
    }

    fn notes(&mut self, line: usize, rich: &Rich, what: &str) {
        for n in rich.notes(what) {
            self.warning(line, n);
        }
    }

    fn embedded(&mut self, parent: Option<&Element>) -> Vec<Embedded> {
        let mut files = Vec::new();
        for f in parent.into_iter().flat_map(|p| p.children_named("file")) {
            let line = self.line(f);
            let name = f.attr("name").unwrap_or_default().trim();
            if name.is_empty() {
                self.error(line, "embedded <file> has no name".into());
                continue;
            }
            let dir = f.attr("path").unwrap_or("/").trim_matches('/');
            let key = if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            if let Some(enc) = f.attr("encoding").filter(|e| *e != "base64") {
                self.error(
                    line,
                    format!("embedded file {key}: encoding {enc:?} is not base64"),
                );
                continue;
            }
            let data: String = f.text().split_whitespace().collect();
            match base64::engine::general_purpose::STANDARD.decode(data) {
                Ok(bytes) => files.push(Embedded {
                    key,
                    bytes,
                    line,
                    used: false,
                }),
                Err(e) => self.error(
                    line,
                    format!("embedded file {key} is not valid base64: {e}"),
                ),
            }
        }
        files
    }

    fn multichoice(&mut self, q: &Element, group: Option<&str>) {
        let line = self.line(q);
        let name = q
            .child("name")
            .map(|n| squash(&n.text()))
            .unwrap_or_default();
        let given = q
            .child("idnumber")
            .map(|e| e.text().trim().to_string())
            .unwrap_or_default();
        let mut ok = true;
        let id = if given.is_empty() {
            // Moodle's ID number is optional: the category path and the name identify the
            // question in Moodle's own bank, and stay the same on every export.
            let id = crate::ids::derived("moodle", &[group.unwrap_or_default().trim(), &name]);
            if let Some(first) = self.derived.insert(id.clone(), line) {
                self.diags.push(
                    Diagnostic::error(
                        self.file,
                        Some(line),
                        format!(
                            "question {name:?} has no <idnumber> and the same category and name \
                             as the question at line {first}, so the same derived id {id}: give \
                             one an ID number or another name in Moodle"
                        ),
                    )
                    .with_code("derived-id-collision"),
                );
                ok = false;
            }
            self.no_idnumber += 1;
            id
        } else {
            given
        };
        let Some((topic, mapped)) = self.opts.place(group) else {
            self.error(
                line,
                format!(
                    "question {id}: no topic: put a category question ($course$/top/<topic>) \
                     before it"
                ),
            );
            return;
        };
        let qt = q.child("questiontext");
        let mut files = self.embedded(qt);
        let html = qt
            .and_then(|t| t.child("text"))
            .map(Element::text)
            .unwrap_or_default();
        let mut rich = parse_html(&html);

        let kind = match q
            .child("single")
            .map(|s| s.text().trim().to_ascii_lowercase())
        {
            None => QuestionKind::Single,
            Some(s) if s == "true" || s == "1" => QuestionKind::Single,
            Some(s) if s == "false" || s == "0" => QuestionKind::Multiple,
            Some(s) => {
                let l = q.child("single").map_or(line, |e| self.line(e));
                self.error(
                    l,
                    format!("question {id}: <single> is {s:?}, expected true or false"),
                );
                ok = false;
                QuestionKind::Single
            }
        };

        let answers: Vec<&Element> = q.children_named("answer").collect();
        let mut riches: Vec<Rich> = answers
            .iter()
            .map(|a| parse_html(&a.child("text").map(Element::text).unwrap_or_default()))
            .collect();
        // Sound and video: linked from the text, or embedded files the text plays.
        let mut media = rich.media.clone();
        for r in &riches {
            media.extend(r.media.iter().cloned());
        }
        for f in files.iter_mut().filter(|f| rich::is_media_file(&f.key)) {
            f.used = true;
            let shown = format!("@@PLUGINFILE@@/{}", f.key);
            if !media.iter().any(|m| percent_decode(m) == shown) {
                media.push(shown);
            }
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
        for (i, (a, r)) in answers.iter().zip(riches).enumerate() {
            let aline = self.line(a);
            let oid = letter_id(i);
            let raw = a.attr("fraction").unwrap_or("0").trim();
            let fraction: f64 = match raw.parse() {
                Ok(f) => f,
                Err(_) => {
                    self.error(
                        aline,
                        format!("question {id}, option {oid}: fraction {raw:?} is not a number"),
                    );
                    ok = false;
                    0.0
                }
            };
            if !r.images.is_empty() {
                self.error(
                    aline,
                    format!("question {id}, option {oid}: images in answers are not supported"),
                );
                ok = false;
            }
            self.notes(aline, &r, &format!("question {id}, option {oid}"));
            let correct = match kind {
                QuestionKind::Single => fraction > 99.99,
                QuestionKind::Multiple => fraction > 0.0,
            };
            if kind == QuestionKind::Single && fraction > 0.0 && !correct {
                self.warning(
                    aline,
                    format!(
                        "question {id}, option {oid}: partial credit ({raw}%) is not used; \
                         the option counts as wrong"
                    ),
                );
            }
            options.push(AnswerOption {
                id: oid,
                text: r.text,
                correct,
                fixed: false,
            });
        }

        let mut categories: Vec<CategoryId> = Vec::new();
        let mut version = 1;
        for tag in q
            .child("tags")
            .into_iter()
            .flat_map(|t| t.children_named("tag"))
        {
            let tline = self.line(tag);
            let value = tag
                .child("text")
                .map_or_else(|| tag.text(), Element::text)
                .trim()
                .to_string();
            if let Some(v) = value.strip_prefix("version=") {
                match v.trim().parse::<u32>() {
                    Ok(v) if v > 0 => version = v,
                    _ => {
                        self.error(
                            tline,
                            format!(
                                "question {id}: tag {value:?}: version must be a number from 1"
                            ),
                        );
                        ok = false;
                    }
                }
                continue;
            }
            match CategoryId::new(value.clone()) {
                Ok(c) if !categories.contains(&c) => categories.push(c),
                Ok(_) => {}
                Err(_) => self.warning(
                    tline,
                    format!("question {id}: tag {value:?} ignored: it is not a category id"),
                ),
            }
        }

        let image = match rich::question_image(&rich.images, |src| {
            self.resolve_image(&id, src, &mut files)
        }) {
            Ok(image) => image,
            Err(msg) => {
                self.error(line, format!("question {id}: {msg}"));
                ok = false;
                None
            }
        };
        for f in files.iter().filter(|f| !f.used) {
            self.warning(
                f.line,
                format!(
                    "question {id}: embedded file {} is not shown by the question text; ignored",
                    f.key
                ),
            );
        }
        if categories.is_empty() {
            categories = mapped;
        }
        if ok {
            let question = Question {
                id: QuestionId(id),
                version,
                topic,
                categories,
                text: rich.text,
                kind,
                options,
                image,
            };
            self.out.push_in(question, self.file, Some(line), group);
        }
    }

    /// The media path of an image, storing embedded bytes in the output.
    fn resolve_image(
        &mut self,
        id: &str,
        src: &str,
        files: &mut [Embedded],
    ) -> Result<String, String> {
        let Some(rest) = src.strip_prefix("@@PLUGINFILE@@") else {
            return rich::media_path(src);
        };
        let key = percent_decode(rest.trim_start_matches('/'));
        let Some(f) = files.iter_mut().find(|f| f.key == key) else {
            return Err(format!(
                "image {key} is not embedded in the question (no <file name=\"{key}\">)"
            ));
        };
        f.used = true;
        let mut path = format!("media/{key}");
        if self.out.media.get(&path).is_some_and(|b| *b != f.bytes) {
            path = format!("media/{id}/{key}");
        }
        self.out.media.insert(path.clone(), f.bytes.clone());
        Ok(path)
    }
}

/// Reads an already parsed `<quiz>` document.
pub(crate) fn from_doc(
    file: &Path,
    doc: &Doc,
    lines: &Lines,
    opts: &ReadOptions,
) -> (Imported, Vec<Diagnostic>) {
    let mut r = Reader {
        file,
        lines,
        opts,
        out: Imported::default(),
        diags: Vec::new(),
        derived: HashMap::new(),
        no_idnumber: 0,
    };
    let mut group: Option<String> = None;
    for q in doc.root.children_named("question") {
        let line = r.line(q);
        match q.attr("type").unwrap_or_default() {
            "category" => {
                let path = q
                    .child("category")
                    .map(|c| c.child("text").map_or_else(|| c.text(), Element::text))
                    .unwrap_or_default();
                group = Some(path.trim().to_string());
                if opts.place(Some(&path)).is_none() {
                    r.error(
                        line,
                        format!(
                            "category question names no topic: expected $course$/top/<topic>, \
                             found {:?}",
                            path.trim()
                        ),
                    );
                }
            }
            "multichoice" => r.multichoice(q, group.as_deref()),
            other => r.diags.push(
                Diagnostic::warning(
                    file,
                    Some(line),
                    format!(
                        "question of type {other:?} ignored: only multichoice questions are \
                         imported"
                    ),
                )
                .with_code("question-type-skipped"),
            ),
        }
    }
    if r.no_idnumber > 0 {
        r.diags.push(
            Diagnostic::warning(
                file,
                None,
                if r.no_idnumber == 1 {
                    "1 question has no <idnumber>: its id is derived from the category path and \
                     the question name, so renaming or moving it in Moodle gives it a new id"
                        .to_string()
                } else {
                    format!(
                        "{} questions have no <idnumber>: their ids are derived from the \
                         category path and the question name, so renaming or moving one in \
                         Moodle gives it a new id",
                        r.no_idnumber
                    )
                },
            )
            .with_code("derived-id"),
        );
    }
    if r.out.questions.is_empty() && r.diags.is_empty() {
        r.warning(
            lines.line(doc.root.pos),
            "no multichoice questions in this file".into(),
        );
    }
    (r.out, r.diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use synaq_core::Text;

    /// A 1×1 PNG.
    const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    fn sample() -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/fire</text></category>
  </question>
  <question type="multichoice">
    <name><text>Өрт 1</text></name>
    <questiontext format="html">
      <text><![CDATA[<p><span lang="kk" class="multilang">Өрт сөндіргіш қайда?</span><span lang="ru" class="multilang">Где огнетушитель?</span></p><p><img src="@@PLUGINFILE@@/ext.png" alt="{{mlang kk}}Сурет{{mlang}}{{mlang ru}}Рисунок{{mlang}}"></p>]]></text>
      <file name="ext.png" path="/" encoding="base64">{PNG}</file>
    </questiontext>
    <idnumber>fire-001</idnumber>
    <single>false</single>
    <answer fraction="50" format="html">
      <text>{{mlang kk}}Кіреберісте{{mlang}}{{mlang ru}}У входа{{mlang}}</text>
    </answer>
    <answer fraction="50" format="html">
      <text>&lt;span lang="kk" class="multilang"&gt;Дәлізде&lt;/span&gt;&lt;span lang="ru" class="multilang"&gt;В коридоре&lt;/span&gt;</text>
    </answer>
    <answer fraction="-100" format="html">
      <text><![CDATA[<span lang="kk" class="multilang">Шатырда</span><span lang="ru" class="multilang">На крыше</span>]]></text>
    </answer>
    <tags>
      <tag><text>cat-1</text></tag>
      <tag><text>cat-3</text></tag>
      <tag><text>version=4</text></tag>
    </tags>
  </question>
  <question type="truefalse">
    <idnumber>tf</idnumber>
  </question>
</quiz>
"#
        )
    }

    fn p(src: &str) -> (Imported, Vec<Diagnostic>) {
        parse(Path::new("m.xml"), src)
    }

    #[test]
    fn reads_a_multichoice_question() {
        let (imp, diags) = p(&sample());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, Some(29));
        assert!(!diags[0].is_error());
        let q = &imp.questions[0];
        assert_eq!(q.id.0, "fire-001");
        assert_eq!(q.version, 4);
        assert_eq!(q.topic, "fire");
        assert_eq!(q.kind, QuestionKind::Multiple);
        let cats: Vec<_> = q.categories.iter().map(CategoryId::as_str).collect();
        assert_eq!(cats, ["cat-1", "cat-3"]);
        assert_eq!(q.text.kk, "Өрт сөндіргіш қайда?");
        assert_eq!(q.text.ru, "Где огнетушитель?");
        let opts: Vec<_> = q
            .options
            .iter()
            .map(|o| (o.id.as_str(), o.text.ru.as_str(), o.correct))
            .collect();
        assert_eq!(
            opts,
            [
                ("a", "У входа", true),
                ("b", "В коридоре", true),
                ("c", "На крыше", false)
            ]
        );
        let img = q.image.as_ref().unwrap();
        assert_eq!(img.path, "media/ext.png");
        assert_eq!(
            img.alt,
            Text {
                kk: "Сурет".into(),
                ru: "Рисунок".into(),
                en: None
            }
        );
        assert!(imp.media["media/ext.png"].starts_with(b"\x89PNG"));
        assert_eq!(imp.origins[0].line, Some(6));
    }

    #[test]
    fn single_choice_needs_full_credit() {
        let src = sample().replace("<single>false</single>", "<single>true</single>");
        let (imp, diags) = p(&src);
        let q = &imp.questions[0];
        assert_eq!(q.kind, QuestionKind::Single);
        assert!(q.options.iter().all(|o| !o.correct));
        assert_eq!(
            diags
                .iter()
                .filter(|d| d.message.contains("partial"))
                .count(),
            2
        );
    }

    #[test]
    fn without_idnumber_the_id_comes_from_category_and_name() {
        let src = sample().replace("<idnumber>fire-001</idnumber>", "");
        let (imp, diags) = p(&src);
        let id = crate::ids::derived("moodle", &["$course$/top/fire", "Өрт 1"]);
        assert_eq!(imp.questions[0].id.0, id);
        // Re-exported (other whitespace, other order of elements): the same id.
        let again = src.replace(
            "<name><text>Өрт 1</text></name>",
            "<name>\n <text> Өрт 1 </text></name>",
        );
        assert_eq!(p(&again).0.questions[0].id.0, id);
        let codes: Vec<_> = diags.iter().filter_map(|d| d.code).collect();
        assert!(codes.contains(&"derived-id"), "{diags:?}");
        // Two questions with the same category and name: an error naming the first line.
        let q = src
            .split("<question type=\"multichoice\">")
            .nth(1)
            .unwrap()
            .split("</question>")
            .next()
            .unwrap()
            .to_string();
        let twice = src.replace(
            "<question type=\"truefalse\">",
            &format!(
                "<question type=\"multichoice\">{q}</question>\n<question type=\"truefalse\">"
            ),
        );
        let (imp, diags) = p(&twice);
        assert_eq!(imp.questions.len(), 1);
        let d = diags
            .iter()
            .find(|d| d.code == Some("derived-id-collision"))
            .expect("a collision");
        assert!(d.is_error() && d.message.contains("line 6"), "{d}");
    }

    #[test]
    fn missing_topic_is_an_error() {
        let src = sample().replace("$course$/top/fire", "$course$/top");
        let (_, diags) = p(&src);
        assert_eq!(
            (diags[0].line, diags[1].line),
            (Some(3), Some(6)),
            "{diags:?}"
        );
    }

    #[test]
    fn image_problems() {
        let src = sample().replace("name=\"ext.png\"", "name=\"other.png\"");
        let (imp, diags) = p(&src);
        assert!(imp.questions.is_empty());
        let errs: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("ext.png"), "{}", errs[0]);
        assert!(diags.iter().any(|d| d.line == Some(10) && !d.is_error()));
        let src = sample().replace(PNG, "not base64!");
        let (_, diags) = p(&src);
        assert!(diags
            .iter()
            .any(|d| d.line == Some(10) && d.message.contains("base64")));
        let src = sample().replace("@@PLUGINFILE@@/ext.png", "https://x.kz/a.png");
        let (_, diags) = p(&src);
        assert!(diags.iter().any(|d| d.message.contains("offline")));
    }

    #[test]
    fn same_name_different_image_is_kept_apart() {
        let q2 = sample()
            .split("<question type=\"multichoice\">")
            .nth(1)
            .unwrap()
            .split("</question>")
            .next()
            .unwrap()
            .replace("fire-001", "fire-002")
            .replace(PNG, "AAAA");
        let src = sample().replace(
            "<question type=\"truefalse\">",
            &format!(
                "<question type=\"multichoice\">{q2}</question>\n<question type=\"truefalse\">"
            ),
        );
        let (imp, _) = p(&src);
        assert_eq!(
            imp.questions[1].image.as_ref().unwrap().path,
            "media/fire-002/ext.png"
        );
        assert_eq!(imp.media["media/fire-002/ext.png"], [0, 0, 0]);
    }

    #[test]
    fn wrong_root_and_broken_xml() {
        let (_, d) = p("<?xml version=\"1.0\"?>\n<assessmentItem/>");
        assert_eq!(d[0].line, Some(2));
        let (_, d) = p(&sample().replace(
            "</answer>\n    <answer fraction=\"-100\"",
            "</answr>\n    <answer fraction=\"-100\"",
        ));
        assert!(d[0].message.contains("XML"), "{}", d[0]);
        assert_eq!(d[0].line, Some(19));
    }
}
