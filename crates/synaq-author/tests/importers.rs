//! The importers on real-shaped sample files, `load_source_dir` on a built directory, and
//! each lint.

use std::fs;
use std::path::{Path, PathBuf};

use synaq_author::{import_file, lint, load_source_dir, Diagnostic, Imported, Severity, Source};
use synaq_core::{CategoryId, Question, QuestionKind, Text};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn text(kk: &str, ru: &str) -> Text {
    Text {
        kk: kk.into(),
        ru: ru.into(),
        en: None,
    }
}

fn cats(q: &Question) -> Vec<&str> {
    q.categories.iter().map(CategoryId::as_str).collect()
}

/// (id, ru text, correct) of each option.
fn options(q: &Question) -> Vec<(&str, &str, bool)> {
    q.options
        .iter()
        .map(|o| (o.id.as_str(), o.text.ru.as_str(), o.correct))
        .collect()
}

fn import_ok(rel: &str) -> (Imported, Vec<Diagnostic>) {
    match import_file(&fixture(rel)) {
        Ok(r) => r,
        Err(d) => panic!("{rel}: {d:#?}"),
    }
}

/// The diagnostics of a sample that must fail, rendered as `name:line: severity: message`
/// with the fixture folder cut off.
fn import_err(rel: &str) -> Vec<String> {
    let path = fixture(rel);
    let diags = import_file(&path).expect_err(rel);
    let prefix = format!("{}", fixture("").display());
    diags
        .iter()
        .map(|d| d.to_string().replacen(&prefix, "", 1))
        .collect()
}

fn find<'a>(errs: &'a [String], start: &str) -> &'a str {
    errs.iter()
        .find(|e| e.starts_with(start))
        .unwrap_or_else(|| panic!("no diagnostic starting {start:?} in {errs:#?}"))
}

// ---- Moodle XML ----

#[test]
fn moodle_export() {
    let (imp, warnings) = import_ok("moodle/fire.xml");
    assert_eq!(imp.questions.len(), 2);

    let q = &imp.questions[0];
    assert_eq!(q.id.0, "fire-001");
    assert_eq!(q.version, 2);
    assert_eq!(q.topic, "fire");
    assert_eq!(cats(q), ["cat-1", "cat-2"]);
    assert_eq!(q.kind, QuestionKind::Single);
    assert_eq!(
        q.text,
        text("Бұл белгі нені білдіреді?", "Что обозначает этот знак?")
    );
    assert_eq!(
        options(q),
        [
            ("a", "Огнетушитель", true),
            ("b", "Пожарный кран", false),
            ("c", "Эвакуационный выход", false)
        ]
    );
    assert_eq!(q.options[0].text.kk, "Өрт сөндіргіш");
    let img = q.image.as_ref().expect("image");
    assert_eq!(img.path, "media/extinguisher sign.png");
    assert_eq!(img.alt, text("Қызыл белгі", "Красный знак"));
    let png = &imp.media["media/extinguisher sign.png"];
    assert!(png.starts_with(PNG_SIGNATURE));
    assert_eq!(png.len(), 69);
    assert_eq!(imp.media.len(), 1);

    let q = &imp.questions[1];
    assert_eq!(q.id.0, "fire-002");
    assert_eq!(q.version, 1);
    assert_eq!(q.kind, QuestionKind::Multiple);
    assert_eq!(cats(q), ["cat-2"]);
    assert_eq!(q.text.kk, "Өрт шыққанда не істеу керек?");
    assert_eq!(q.text.ru, "Что нужно сделать при пожаре?");
    assert_eq!(q.text.en.as_deref(), Some("What to do in a fire?"));
    assert_eq!(
        options(q),
        [
            ("a", "Сообщить по номеру 101", true),
            ("b", "Эвакуировать людей", true),
            ("c", "Спуститься на лифте", false)
        ]
    );
    assert_eq!(q.image, None);

    let lines: Vec<_> = imp.origins.iter().map(|o| o.line).collect();
    assert_eq!(lines, [Some(15), Some(72)]);
    assert_eq!(imp.origins[0].file, fixture("moodle/fire.xml"));
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_eq!(warnings[0].line, Some(114));
    assert!(warnings[0].message.contains("truefalse"));
}

#[test]
fn moodle_without_idnumber_gets_a_stable_id_from_category_and_name() {
    // Moodle's ID number is optional, and empty in most real exports.
    let (imp, warnings) = import_ok("moodle/no-idnumber.xml");
    assert_eq!(imp.questions[0].id.0, "moodle-f97595c37cf51f15");
    assert_eq!(codes(&warnings), ["derived-id"]);
    assert_eq!(
        warnings[0].message,
        "1 question has no <idnumber>: its id is derived from the category path and the \
         question name, so renaming or moving it in Moodle gives it a new id"
    );
}

#[test]
fn moodle_malformed_xml() {
    let errs = import_err("broken/moodle-malformed.xml");
    let e = find(
        &errs,
        "broken/moodle-malformed.xml:6: error: not well-formed XML",
    );
    assert!(e.contains("questiontxt"), "{e}");
}

// ---- GIFT ----

#[test]
fn gift_file() {
    let (imp, warnings) = import_ok("gift/electrical.gift");
    let ids: Vec<_> = imp.questions.iter().map(|q| q.id.0.as_str()).collect();
    assert_eq!(ids, ["el-001", "el-002", "el-003"]);

    let q = &imp.questions[0];
    assert_eq!(q.topic, "electrical");
    assert_eq!(q.version, 1);
    assert_eq!(cats(q), ["cat-1", "cat-3"]);
    assert_eq!(q.kind, QuestionKind::Single);
    assert_eq!(
        q.text,
        text(
            "Қандай кернеу адам үшін қауіпсіз деп саналады?",
            "Какое напряжение считается безопасным для человека?"
        )
    );
    assert_eq!(
        options(q),
        [
            ("a", "До 42 В", true),
            ("b", "До 220 В", false),
            ("c", "До 380 В", false)
        ]
    );
    assert_eq!(q.options[0].text.kk, "42 В дейін");

    let q = &imp.questions[1];
    assert_eq!(q.version, 3);
    assert_eq!(cats(q), ["cat-3", "cat-4"]);
    assert_eq!(q.kind, QuestionKind::Multiple);
    assert!(q.text.ru.ends_with("(2 ответа)"), "{}", q.text.ru);
    assert_eq!(
        options(q),
        [
            ("a", "Диэлектрические перчатки", true),
            ("b", "Диэлектрические боты", true),
            ("c", "Хлопчатобумажные перчатки", false)
        ]
    );

    let q = &imp.questions[2];
    assert_eq!(cats(q), ["cat-1"]);
    assert_eq!(
        q.text,
        text(
            "Ом заңы: I = U / R. Мұндағы R {кедергі} неге тең?",
            "Закон Ома: I = U / R. Чему равно R {сопротивление}?"
        )
    );
    assert_eq!(
        options(q),
        [
            ("a", "U / I", true),
            ("b", "U ~ I", false),
            ("c", "U # I", false)
        ]
    );
    let img = q.image.as_ref().expect("image");
    assert_eq!(img.path, "media/ohm.png");
    assert_eq!(img.alt, text("Сызба", "Схема"));
    assert!(imp.media.is_empty());

    let lines: Vec<_> = imp.origins.iter().map(|o| o.line).collect();
    assert_eq!(lines, [Some(8), Some(16), Some(25)]);

    // Options without language blocks (26–28) and the skipped true/false question (33).
    let wl: Vec<_> = warnings.iter().map(|w| (w.line, w.is_error())).collect();
    assert_eq!(
        wl,
        [
            (Some(26), false),
            (Some(27), false),
            (Some(28), false),
            (Some(33), false)
        ],
        "{warnings:#?}"
    );
    assert!(warnings[3].message.contains("true/false"));
}

#[test]
fn gift_errors() {
    let errs = import_err("broken/gift-errors.gift");
    let errors: Vec<_> = errs.iter().filter(|e| e.contains(": error: ")).collect();
    // Line 4 has no ::title::, which is not an error: its id is derived.
    assert_eq!(errors.len(), 3, "{errs:#?}");
    assert!(find(&errs, "broken/gift-errors.gift:9: error:").contains("половина"));
    assert!(find(&errs, "broken/gift-errors.gift:12: error:").contains("Cat"));
    assert!(find(&errs, "broken/gift-errors.gift:16: error:").contains("not closed"));
}

// ---- QTI ----

#[test]
fn qti_2_1_item() {
    let (imp, warnings) = import_ok("qti/electrical/el-010.xml");
    assert!(warnings.is_empty(), "{warnings:#?}");
    let [q] = imp.questions.as_slice() else {
        panic!("one question expected")
    };
    assert_eq!(q.id.0, "el-010");
    assert_eq!(q.version, 4);
    assert_eq!(q.topic, "electrical");
    assert_eq!(cats(q), ["cat-2", "cat-3"]);
    assert_eq!(q.kind, QuestionKind::Single);
    assert_eq!(
        q.text,
        text(
            "Зардап шегушіні электр тогынан босатқанда алдымен не істеу керек?",
            "Что нужно сделать в первую очередь при освобождении пострадавшего от действия тока?"
        )
    );
    assert_eq!(
        options(q),
        [
            ("a", "Оттащить пострадавшего руками", false),
            ("b", "Отключить напряжение", true),
            ("c", "Ждать скорую помощь", false)
        ]
    );
    assert_eq!(q.options[2].text.kk, "Жедел жәрдем күту");
    assert_eq!(q.image, None);
    assert_eq!(imp.origins[0].line, Some(3));
}

#[test]
fn qti_3_0_item() {
    let (imp, warnings) = import_ok("qti/ppe/ppe-003.xml");
    assert!(warnings.is_empty(), "{warnings:#?}");
    let [q] = imp.questions.as_slice() else {
        panic!("one question expected")
    };
    assert_eq!(q.id.0, "ppe-003");
    assert_eq!(q.version, 1);
    assert_eq!(q.topic, "ppe", "topic from the folder");
    assert_eq!(cats(q), ["cat-1", "cat-5"]);
    assert_eq!(q.kind, QuestionKind::Multiple);
    assert_eq!(
        q.text,
        text(
            "Биіктікте жұмыс істегенде қандай жеке қорғаныш құралдары міндетті?",
            "Какие средства индивидуальной защиты обязательны при работе на высоте?"
        )
    );
    assert_eq!(
        options(q),
        [
            ("a", "Защитная каска", true),
            ("b", "Солнцезащитные очки", false),
            ("c", "Страховочная привязь", true)
        ]
    );
    let img = q.image.as_ref().expect("image");
    assert_eq!(img.path, "media/images/helmet.png");
    assert_eq!(img.alt, text("Қорғаныш каскасы", "Защитная каска"));
    assert_eq!(imp.origins[0].line, Some(2));
}

#[test]
fn qti_without_categories() {
    let errs = import_err("broken/qti-no-categories.xml");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(find(&errs, "broken/qti-no-categories.xml:2: error:").contains("categories"));
}

#[test]
fn qti_3_0_unknown_correct_response() {
    let errs = import_err("broken/qti3-bad-response.xml");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(find(&errs, "broken/qti3-bad-response.xml:6: error:").contains("\"D\""));
}

// ---- Native TOML ----

#[test]
fn native_file() {
    let (imp, warnings) = import_ok("native/training.toml");
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(imp.questions.len(), 2);
    let q = &imp.questions[0];
    assert_eq!(q.id.0, "trn-001");
    assert_eq!(q.version, 1);
    assert_eq!(q.topic, "training");
    assert_eq!(cats(q), ["cat-1", "cat-2"]);
    assert_eq!(q.kind, QuestionKind::Single);
    assert_eq!(
        q.text.kk,
        "Жұмысқа жаңа қабылданған қызметкермен алдымен қандай нұсқама өткізіледі?"
    );
    assert_eq!(
        q.text.en.as_deref(),
        Some("Which briefing does a newly hired employee receive first?")
    );
    assert_eq!(
        options(q),
        [
            ("a", "Вводный инструктаж", true),
            ("b", "Целевой инструктаж", false),
            ("c", "Внеплановый инструктаж", false)
        ]
    );
    let q = &imp.questions[1];
    assert_eq!(q.version, 3);
    assert_eq!(q.kind, QuestionKind::Multiple);
    let img = q.image.as_ref().expect("image");
    assert_eq!(img.path, "media/sign-no-flame.png");
    assert_eq!(img.alt.ru, "Знак запрета открытого огня");
    assert_eq!(
        options(q).iter().map(|o| o.2).collect::<Vec<_>>(),
        [true, true, false]
    );
    let lines: Vec<_> = imp.origins.iter().map(|o| o.line).collect();
    assert_eq!(lines, [Some(3), Some(29)]);
}

#[test]
fn native_syntax_error() {
    let errs = import_err("broken/native-syntax.toml");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    find(&errs, "broken/native-syntax.toml:7: error:");
}

#[test]
fn native_shape_errors() {
    let errs = import_err("broken/native-shape.toml");
    assert_eq!(errs.len(), 2, "{errs:#?}");
    let e = find(&errs, "broken/native-shape.toml:14: error:");
    assert!(e.contains("n-1") && e.contains("corect"), "{e}");
    let e = find(&errs, "broken/native-shape.toml:16: error:");
    assert!(e.contains("n-2") && e.contains("version"), "{e}");
}

// ---- load_source_dir and lints ----

const PROFILE: &str = r#"id = "test"
version = 1
title = { kk = "Сынақ", ru = "Тест" }

[defaults]
minutes_per_question = 2
pass_percent = 70
retake_window_days = 30
capture_interval_secs = 5

[[category]]
id = "cat-1"
number = 1
name = { kk = "Бір", ru = "Один" }
training_hours = 8
question_count = 5

[[category]]
id = "cat-2"
number = 2
name = { kk = "Екі", ru = "Два" }
training_hours = 8
question_count = 5

[[category]]
id = "cat-3"
number = 3
name = { kk = "Үш", ru = "Три" }
training_hours = 8
question_count = 3

[[category]]
id = "cat-4"
number = 4
name = { kk = "Төрт", ru = "Четыре" }
training_hours = 8
question_count = 1

[[category]]
id = "cat-5"
number = 5
name = { kk = "Бес", ru = "Пять" }
training_hours = 8
question_count = 1
"#;

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}

fn png() -> Vec<u8> {
    let mut v = PNG_SIGNATURE.to_vec();
    v.extend_from_slice(b"tiny");
    v
}

/// A complete source built from the fixtures: every format, every image.
fn full_source() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    write(d, "profile.toml", PROFILE.as_bytes());
    for (from, to) in [
        ("native/training.toml", "questions/training.toml"),
        ("moodle/fire.xml", "questions/fire.xml"),
        ("gift/electrical.gift", "questions/electrical.gift"),
        (
            "qti/electrical/el-010.xml",
            "questions/electrical/el-010.xml",
        ),
        ("qti/ppe/ppe-003.xml", "questions/ppe/ppe-003.xml"),
    ] {
        write(d, to, &fs::read(fixture(from)).expect("fixture"));
    }
    write(d, "media/sign-no-flame.png", &png());
    write(d, "media/ohm.png", &png());
    write(d, "media/images/helmet.png", &png());
    write(d, "questions/.DS_Store", b"junk");
    tmp
}

fn load_ok(dir: &Path) -> (Source, Vec<Diagnostic>) {
    match load_source_dir(dir) {
        Ok(r) => r,
        Err(d) => panic!("{}", d.iter().map(|d| format!("{d}\n")).collect::<String>()),
    }
}

#[test]
fn loads_a_whole_source() {
    let tmp = full_source();
    let (source, warnings) = load_ok(tmp.path());
    let ids: Vec<_> = source.questions.iter().map(|q| q.id.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "el-010", "el-001", "el-002", "el-003", "fire-001", "fire-002", "ppe-003", "trn-001",
            "trn-002"
        ]
    );
    assert_eq!(source.origins.len(), ids.len());
    assert_eq!(
        source.origins[0].file,
        Path::new("questions").join("electrical").join("el-010.xml")
    );
    assert_eq!(source.origins[8].file, Path::new("questions/training.toml"));
    assert_eq!(source.origins[8].line, Some(29));
    assert_eq!(source.questions[0].topic, "electrical");
    assert_eq!(source.profile.categories.len(), 5);
    assert_eq!(source.profile_toml, PROFILE);
    let keys: Vec<_> = source.media.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "media/extinguisher sign.png",
            "media/images/helmet.png",
            "media/ohm.png",
            "media/sign-no-flame.png"
        ]
    );
    // Only warnings: unmarked GIFT options, the skipped GIFT and Moodle true/false questions.
    assert!(warnings.iter().all(|w| !w.is_error()));
    assert_eq!(warnings.len(), 5, "{warnings:#?}");
    assert_eq!(
        warnings[4].to_string(),
        "questions/fire.xml:114: warning[question-type-skipped]: question of type \"truefalse\" ignored: only \
         multichoice questions are imported"
    );
    assert!(lint(&source).iter().all(|d| !d.is_error()));
}

/// A native question with the given id, categories and Kazakh text.
fn native(id: &str, categories: &str, kk: &str) -> String {
    format!(
        r#"[[question]]
id = "{id}"
version = 1
topic = "t"
categories = [{categories}]
kind = "single"
text = {{ kk = "{kk}", ru = "Вопрос" }}
[[question.options]]
id = "a"
text = {{ kk = "Иә", ru = "Да" }}
correct = true
[[question.options]]
id = "b"
text = {{ kk = "Жоқ", ru = "Нет" }}

"#
    )
}

fn one_category_profile(count: u32) -> String {
    PROFILE
        .split("\n[[category]]")
        .take(2)
        .collect::<Vec<_>>()
        .join("\n[[category]]")
        .replace("question_count = 5", &format!("question_count = {count}"))
}

fn small_source(count: u32, files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(
        tmp.path(),
        "profile.toml",
        one_category_profile(count).as_bytes(),
    );
    for (rel, content) in files {
        write(tmp.path(), rel, content.as_bytes());
    }
    tmp
}

fn errors_of(dir: &Path) -> Vec<String> {
    load_source_dir(dir)
        .expect_err("errors expected")
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

#[test]
fn lint_duplicate_ids_name_both_places() {
    let tmp = small_source(
        1,
        &[
            ("questions/a.toml", &native("q-1", "\"cat-1\"", "Сұрақ")),
            (
                "questions/b.toml",
                &format!(
                    "{}{}",
                    native("q-2", "\"cat-1\"", "Сұрақ"),
                    native("q-1", "\"cat-1\"", "Сұрақ")
                ),
            ),
        ],
    );
    let errs = errors_of(tmp.path());
    assert_eq!(
        errs,
        ["questions/b.toml:16: error: duplicate question id q-1: also used at questions/a.toml:1"]
    );
}

#[test]
fn lint_validation_failures() {
    let no_correct = native("q-1", "\"cat-1\"", "Сұрақ").replace("correct = true\n", "");
    let no_kk = native("q-2", "\"cat-1\"", " ");
    let one_option = native("q-3", "\"cat-1\"", "Сұрақ");
    let one_option = &one_option[..one_option.rfind("[[question.options]]").unwrap()];
    let two_right = native("q-4", "\"cat-1\"", "Сұрақ")
        .replace("ru = \"Нет\" }", "ru = \"Нет\" }\ncorrect = true");
    let no_category = native("q-5", "", "Сұрақ");
    let all = format!("{no_correct}{no_kk}{one_option}\n{two_right}{no_category}");
    let starts: Vec<usize> = all
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[[question]]")
        .map(|(i, _)| i + 1)
        .collect();
    let tmp = small_source(1, &[("questions/q.toml", &all)]);
    let errs = errors_of(tmp.path());
    let messages = [
        "question q-1: no option is marked correct",
        "question q-2: text has no kk version",
        "question q-3: needs at least two options",
        "question q-4: single choice, but 2 options are marked correct",
        "question q-5: no category",
    ];
    let want: Vec<String> = starts
        .iter()
        .zip(messages)
        .map(|(line, m)| format!("questions/q.toml:{line}: error: {m}"))
        .collect();
    assert_eq!(errs, want);
}

#[test]
fn lint_latin_lookalikes() {
    let q = native("q-1", "\"cat-1\"", "Жұмысқa кipу тәртiбi");
    let tmp = small_source(1, &[("questions/q.toml", &q)]);
    let errs = errors_of(tmp.path());
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(
        errs[0].starts_with("questions/q.toml:1: error: question q-1, text (kk): word \"Жұмысқa\"")
    );
    assert!(errs[0].contains("Latin \"a\" (U+0061) should probably be Cyrillic \"а\" (U+0430)"));
    assert!(errs[1].contains("\"кipу\"") && errs[1].contains("Cyrillic \"і\""));
    assert!(errs[1].contains("Cyrillic \"р\""));
    assert!(errs[2].contains("did you mean \"тәртібі\"?"), "{}", errs[2]);
}

#[test]
fn lint_category_needs_more_questions() {
    let tmp = small_source(
        3,
        &[("questions/q.toml", &native("q-1", "\"cat-1\"", "Сұрақ"))],
    );
    let errs = errors_of(tmp.path());
    assert_eq!(
        errs,
        ["profile.toml:12: error: category cat-1 needs 3 questions, the bank has 1"]
    );
}

#[test]
fn lint_images_and_media() {
    let with_image = format!(
        "{}[question.image]\npath = \"media/missing.png\"\nalt = {{ kk = \"Сурет\", ru = \"\" }}\n",
        native("q-1", "\"cat-1\", \"cat-9\"", "Сұрақ")
    );
    let tmp = small_source(1, &[("questions/q.toml", &with_image)]);
    write(tmp.path(), "media/unused.png", &png());
    let diags: Vec<_> = load_source_dir(tmp.path())
        .expect_err("missing image")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        diags,
        [
            "questions/q.toml:1: warning: question q-1: image media/missing.png has no ru text alternative (alt)",
            "questions/q.toml:1: error: question q-1: image media/missing.png is not in media/",
            "questions/q.toml:1: warning: question q-1: category cat-9 is not in the exam profile",
            "media/unused.png: warning: media/unused.png is not used by any question",
        ]
    );

    // With the image present, only warnings remain and the source loads.
    let tmp = small_source(
        1,
        &[("questions/q.toml", &with_image.replace("missing", "x"))],
    );
    write(tmp.path(), "media/x.png", &png());
    let (source, warnings) = load_ok(tmp.path());
    assert_eq!(source.media.len(), 1);
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
}

#[test]
fn embedded_media_must_agree_with_media_folder() {
    let tmp = full_source();
    write(
        tmp.path(),
        "media/extinguisher sign.png",
        b"another picture",
    );
    let errs = errors_of(tmp.path());
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].starts_with("media/extinguisher sign.png: error:"),
        "{}",
        errs[0]
    );
    assert!(errs[0].contains("questions/fire.xml"), "{}", errs[0]);
}

#[test]
fn import_errors_are_collected_across_files() {
    let tmp = full_source();
    write(
        tmp.path(),
        "questions/broken.toml",
        &fs::read(fixture("broken/native-syntax.toml")).unwrap(),
    );
    write(tmp.path(), "questions/notes.docx", b"");
    let diags = load_source_dir(tmp.path()).expect_err("broken file");
    let errs: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errs.len(), 2, "{diags:#?}");
    assert_eq!(errs[0].file, Path::new("questions/broken.toml"));
    assert_eq!(errs[0].line, Some(7));
    // A file that is not a question file is an error too: the bank would lack it.
    assert_eq!(errs[1].file, Path::new("questions/notes.docx"));
    assert_eq!(errs[1].code, Some("file-skipped"));
}

#[test]
fn missing_profile_and_questions() {
    let tmp = tempfile::tempdir().unwrap();
    let diags = load_source_dir(tmp.path()).expect_err("empty dir");
    let files: Vec<_> = diags.iter().map(|d| d.file.clone()).collect();
    assert_eq!(
        files,
        [PathBuf::from("profile.toml"), PathBuf::from("questions")]
    );

    write(
        tmp.path(),
        "profile.toml",
        b"id = \"x\"\nversion = 1\ntitle = 3\n",
    );
    write(
        tmp.path(),
        "questions/q.toml",
        native("q-1", "\"cat-1\"", "Сұрақ").as_bytes(),
    );
    let diags = load_source_dir(tmp.path()).expect_err("bad profile");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].file, Path::new("profile.toml"));
    assert_eq!(diags[0].line, Some(3), "{}", diags[0]);
}

// ---- Regression tests: files shaped like real Moodle GIFT exports (issue 17) ----

/// The codes of the diagnostics, in order.
fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().filter_map(|d| d.code).collect()
}

fn without_media() -> synaq_author::ReadOptions {
    synaq_author::ReadOptions {
        without_media: true,
        ..Default::default()
    }
}

#[test]
fn gift_short_answer_with_weights_is_skipped_by_name_not_sealed_as_a_choice() {
    // `{=ОП =%50%ОУ =%0%*}` and `{=%100%ОП#}` are short answers (Moodle: no `~`, no choice).
    let (imp, diags) =
        synaq_author::import_file_with(&fixture("real/moodle-gift-export.gift"), &without_media())
            .unwrap();
    let ids: Vec<_> = imp.questions.iter().map(|q| q.id.0.as_str()).collect();
    assert_eq!(ids, ["Түс", "Дабыл", "Сілтеме"]);
    let skipped: Vec<_> = diags
        .iter()
        .filter(|d| d.code == Some("question-type-skipped"))
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                Some(6),
                "question Қысқа жауап: short-answer question ignored: only multiple choice is imported"
            ),
            (
                Some(14),
                "question Бір жауап: short-answer question ignored: only multiple choice is imported"
            ),
        ]
    );
}

#[test]
fn gift_format_markers_are_dropped_from_answers() {
    let (imp, _) =
        synaq_author::import_file_with(&fixture("real/moodle-gift-export.gift"), &without_media())
            .unwrap();
    let q = &imp.questions[0];
    assert_eq!(q.text.kk, "Өрт сөндіргіш қандай түсті?");
    assert_eq!(
        options(q),
        [
            ("a", "синий", false),
            ("b", "красный", true),
            ("c", "зелёный", false)
        ]
    );
    assert_eq!(q.options[0].text.kk, "көк");
    assert!(q.options.iter().all(|o| !o.text.kk.contains('[')));
}

#[test]
fn gift_audio_and_linked_sound_are_refused_unless_the_author_accepts_dropping_them() {
    let errs = import_file(&fixture("real/moodle-gift-export.gift")).unwrap_err();
    let refused: Vec<_> = errs
        .iter()
        .filter(|d| d.code == Some("media-not-playable"))
        .map(|d| (d.line, d.is_error()))
        .collect();
    assert_eq!(refused, [(Some(28), true), (Some(35), true)], "{errs:#?}");
    assert!(
        errs[errs.len() - 2]
            .message
            .contains("@@PLUGINFILE@@/siren.mp3"),
        "{errs:#?}"
    );
    assert!(
        errs[errs.len() - 1]
            .message
            .contains("https://example.kz/brief.mp3"),
        "{errs:#?}"
    );
    // With `without_media = true`: imported, and a warning says what was dropped.
    let (imp, diags) =
        synaq_author::import_file_with(&fixture("real/moodle-gift-export.gift"), &without_media())
            .unwrap();
    assert_eq!(imp.questions[1].text.ru, "Что это за сигнал?");
    assert_eq!(
        codes(&diags)
            .into_iter()
            .filter(|c| *c == "media-dropped")
            .count(),
        2
    );
}

#[test]
fn untagged_single_language_text_is_an_error_unless_the_file_language_is_given() {
    let errs = import_file(&fixture("real/moodle-gift-ru.gift")).unwrap_err();
    assert_eq!(codes(&errs), ["text-no-language"], "{errs:#?}");
    assert_eq!(errs[0].line, Some(6));
    assert!(
        errs[0].message.contains("language = \"kk\" or \"ru\""),
        "{}",
        errs[0]
    );
    // Told the file is Russian: Russian text only, nothing shown as Kazakh.
    let opts = synaq_author::ReadOptions {
        language: Some(synaq_core::Lang::Ru),
        ..Default::default()
    };
    let (imp, _) =
        synaq_author::import_file_with(&fixture("real/moodle-gift-ru.gift"), &opts).unwrap();
    let q = &imp.questions[0];
    assert_eq!(q.text, text("", "Где должен находиться огнетушитель?"));
    assert_eq!(q.options[0].text, text("", "На видном и доступном месте"));
}

// ---- Regression tests: Moodle XML and QTI shaped like real exports (issue 17) ----

#[test]
fn moodle_xml_embedded_sound_is_refused_not_reported_as_merely_not_shown() {
    let errs = import_file(&fixture("real/moodle-xml-audio.xml")).unwrap_err();
    let e: Vec<_> = errs.iter().filter(|d| d.is_error()).collect();
    assert_eq!(e.len(), 1, "{errs:#?}");
    assert_eq!(e[0].code, Some("media-not-playable"));
    assert_eq!(e[0].line, Some(15));
    assert!(
        e[0].message.contains("@@PLUGINFILE@@/alarm%20short.mp3"),
        "{}",
        e[0]
    );
    assert!(
        errs.iter().all(|d| !d.message.contains("not shown")),
        "{errs:#?}"
    );
    let (imp, warnings) =
        synaq_author::import_file_with(&fixture("real/moodle-xml-audio.xml"), &without_media())
            .unwrap();
    assert_eq!(
        imp.questions[0].text.ru,
        "Что означает этот звук? alarm short.mp3"
    );
    assert!(imp.media.is_empty(), "the sound is not put in the bank");
    assert_eq!(codes(&warnings), ["media-dropped", "derived-id"]);
}

#[test]
fn qti3_fixed_choice_keeps_its_place_and_partial_credit_is_explained() {
    let (imp, warnings) = import_ok("real/qti3-fixed-partial.xml");
    let q = &imp.questions[0];
    let fixed: Vec<_> = q.options.iter().map(|o| (o.id.as_str(), o.fixed)).collect();
    assert_eq!(
        fixed,
        [("h", false), ("g", false), ("b", false), ("n", true)]
    );
    assert_eq!(
        options(q),
        [
            ("h", "Каска", true),
            ("g", "Страховочный пояс", true),
            ("b", "Сапоги", false),
            ("n", "Ничего не нужно", false)
        ]
    );
    assert_eq!(codes(&warnings), ["qti-partial-credit"]);
    assert_eq!(warnings[0].line, Some(12));
    assert!(
        warnings[0]
            .message
            .contains("(H 1, G 1, B 0.5, N -1) is not used: H, G count as correct"),
        "{}",
        warnings[0]
    );
    // The namespace is the standard's (`imsqtiasi_v3p0`): no warning about it.
    assert!(synaq_author::qti::QTI_3P0_NAMESPACE.ends_with("/imsqtiasi_v3p0"));
    // In an exam paper, "None of the above" stays last while the others move.
    let mut moved = 0;
    let bank = vec![q.clone()];
    let profile = synaq_core::ExamProfile::from_toml(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/profile.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut cat = profile.categories_in_order()[0].clone();
    cat.question_count = 1;
    cat.topic_quota.clear();
    for seed in 0..50 {
        let p = synaq_core::assemble(&bank, &cat, seed, &Default::default()).unwrap();
        assert_eq!(p.items[0].options[3], "n");
        if p.items[0].options[..3] != ["h", "g", "b"] {
            moved += 1;
        }
    }
    assert!(moved > 25, "{moved}/50");
}

#[test]
fn qti3_misspelt_namespace_of_earlier_documents_is_still_read_without_a_warning() {
    let src = fs::read_to_string(fixture("real/qti3-fixed-partial.xml"))
        .unwrap()
        .replace("imsqtiasi_v3p0\"\n", "imsqti_asi_v3p0\"\n");
    assert!(src.contains("imsqti_asi_v3p0"));
    let (imp, warnings) = synaq_author::import_str(Path::new("q.xml"), &src).unwrap();
    assert_eq!(imp.questions.len(), 1);
    assert_eq!(codes(&warnings), ["qti-partial-credit"]);
    let other = src.replace("imsqti_asi_v3p0\"\n", "imsqti_v3\"\n");
    let (_, warnings) = synaq_author::import_str(Path::new("q.xml"), &other).unwrap();
    assert!(
        warnings.iter().any(|w| w
            .message
            .contains("expected http://www.imsglobal.org/xsd/imsqtiasi_v3p0")),
        "{warnings:#?}"
    );
}

// ---- Real exports as they are: import.toml, pairing, spreadsheets (issue 17) ----

fn fixture_text(rel: &str) -> String {
    fs::read_to_string(fixture(rel)).expect("fixture")
}

fn all_diags(dir: &Path) -> Vec<Diagnostic> {
    match load_source_dir(dir) {
        Ok((_, d)) | Err(d) => d,
    }
}

#[test]
fn a_gift_export_saved_as_txt_fails_the_build_until_read_or_ignored() {
    let gift = fixture_text("real/moodle-gift-ru.gift");
    let tmp = small_source(1, &[("questions/export.txt", &gift)]);
    let errs = load_source_dir(tmp.path()).unwrap_err();
    let skipped: Vec<_> = errs
        .iter()
        .filter(|d| d.code == Some("file-skipped"))
        .collect();
    assert_eq!(skipped.len(), 1, "{errs:#?}");
    assert!(skipped[0].is_error());
    assert_eq!(skipped[0].file, Path::new("questions/export.txt"));
    assert!(
        skipped[0].message.contains("format = \"gift\""),
        "{}",
        skipped[0]
    );

    // Read as GIFT, in Russian, under a mapped category: builds (kk is missing, so the
    // question fails validation: the point here is that the file is read).
    write(
        tmp.path(),
        "import.toml",
        b"[[file]]\npath = \"export.txt\"\nformat = \"gift\"\nlanguage = \"ru\"\n\n[[category]]\npath = \"$course$/top/\xd0\x9f\xd0\xbe\xd0\xb6\xd0\xb0\xd1\x80\xd0\xbd\xd0\xb0\xd1\x8f \xd0\xb1\xd0\xb5\xd0\xb7\xd0\xbe\xd0\xbf\xd0\xb0\xd1\x81\xd0\xbd\xd0\xbe\xd1\x81\xd1\x82\xd1\x8c\"\ntopic = \"fire\"\ncategories = [\"cat-1\"]\n",
    );
    let errs = load_source_dir(tmp.path()).unwrap_err();
    assert!(
        errs.iter().all(|d| d.code != Some("file-skipped")),
        "{errs:#?}"
    );
    let e: Vec<_> = errs
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        e,
        ["questions/export.txt:6: error: question Огнетушитель: text has no kk version"],
        "{errs:#?}"
    );

    // Told to leave it out: the build goes on, and says so.
    write(
        tmp.path(),
        "import.toml",
        b"[[file]]\npath = \"export.txt\"\nignore = true\n",
    );
    write(
        tmp.path(),
        "questions/n.toml",
        native("n-1", "\"cat-1\"", "Сұрақ").as_bytes(),
    );
    let (src, warnings) = load_ok(tmp.path());
    assert_eq!(src.questions.len(), 1);
    assert_eq!(codes(&warnings), ["file-ignored"]);
}

/// A source with the Kazakh and the Russian Moodle export of the same questions (no
/// idnumbers, each language's own category names) and an import.toml that pairs them.
fn paired_source(ru: &str) -> tempfile::TempDir {
    small_source(
        3,
        &[
            (
                "questions/moodle/kk.xml",
                &fixture_text("real/moodle-kk.xml"),
            ),
            ("questions/moodle/ru.xml", ru),
            (
                "import.toml",
                r#"[[pair]]
kk = "moodle/kk.xml"
ru = "moodle/ru.xml"
by = "position"

[[category]]
path = "$course$/top/Default for ОТ-2026/Өрт қауіпсіздігі"
topic = "fire"
categories = ["cat-1"]

[[category]]
path = "$course$/top/Default for ОТ-2026/Электр қауіпсіздігі"
topic = "electrical"
categories = ["cat-1"]
"#,
            ),
        ],
    )
}

#[test]
fn kazakh_and_russian_exports_are_paired_by_position_and_mapped_to_topics() {
    let tmp = paired_source(&fixture_text("real/moodle-ru.xml"));
    let (src, warnings) = load_ok(tmp.path());
    assert_eq!(src.questions.len(), 3, "{warnings:#?}");
    let q = &src.questions[1];
    assert_eq!(q.topic, "fire");
    assert_eq!(cats(q), ["cat-1"]);
    assert_eq!(
        q.text,
        text("Өрт кезінде не істеу керек?", "Что делать при пожаре?")
    );
    assert_eq!(q.kind, QuestionKind::Multiple);
    assert_eq!(
        options(q),
        [
            ("a", "Позвонить 101", true),
            ("b", "Вывести людей", true),
            ("c", "Спуститься на лифте", false)
        ]
    );
    assert_eq!(q.options[0].text.kk, "101-ге қоңырау шалу");
    assert_eq!(src.questions[2].topic, "electrical");
    // The id comes from the Kazakh export's category and name: the same on every export.
    let again = paired_source(&fixture_text("real/moodle-ru.xml"));
    let ids = |s: &Source| s.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&src), ids(&load_ok(again.path()).0));
    assert_eq!(codes(&warnings), ["derived-id", "derived-id"]);
}

#[test]
fn questions_without_a_partner_are_named_and_differing_marks_refused() {
    // The Russian export lacks the second fire question.
    let ru = fixture_text("real/moodle-ru.xml");
    let start = ru.find("<!-- question: 0  -->\n  <question type=\"multichoice\">\n    <name>\n      <text>Пожар 2").unwrap();
    let end = start + ru[start..].find("</question>\n").unwrap() + "</question>\n".len();
    let short = format!("{}{}", &ru[..start], &ru[end..]);
    let tmp = paired_source(&short);
    let errs = load_source_dir(tmp.path()).unwrap_err();
    let missing: Vec<_> = errs
        .iter()
        .filter(|d| d.code == Some("pair-missing"))
        .map(|d| (d.file.display().to_string(), d.line))
        .collect();
    assert_eq!(
        missing,
        [("questions/moodle/kk.xml".to_string(), Some(45))],
        "{errs:#?}"
    );
    // The Russian export marks another option correct.
    let wrong = ru.replacen(
        "<answer fraction=\"100\" format=\"html\">\n      <text><![CDATA[<p dir=\"ltr\" style=\"text-align: left;\">На видном месте",
        "<answer fraction=\"0\" format=\"html\">\n      <text><![CDATA[<p dir=\"ltr\" style=\"text-align: left;\">На видном месте",
        1,
    ).replacen("<answer fraction=\"0\" format=\"html\">\n      <text><![CDATA[<p dir=\"ltr\" style=\"text-align: left;\">В запертом", "<answer fraction=\"100\" format=\"html\">\n      <text><![CDATA[<p dir=\"ltr\" style=\"text-align: left;\">В запертом", 1);
    let tmp = paired_source(&wrong);
    let errs = load_source_dir(tmp.path()).unwrap_err();
    let m = errs
        .iter()
        .find(|d| d.code == Some("pair-mismatch"))
        .unwrap_or_else(|| panic!("{errs:#?}"));
    assert!(m.message.ends_with("marks b correct, this one a"), "{m}");
}

#[test]
fn a_spreadsheet_gives_the_same_questions_as_the_moodle_export() {
    let tmp = small_source(
        3,
        &[(
            "questions/fire.xml",
            &fixture_text("real/moodle-roundtrip.xml"),
        )],
    );
    let (from_xml, _) = load_ok(tmp.path());

    // The same questions as a methodologist fills them in, one per row.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [&[&str]; 4] = [
        &[
            "id",
            "version",
            "topic",
            "categories",
            "text_kk",
            "text_ru",
            "a_kk",
            "a_ru",
            "b_kk",
            "b_ru",
            "c_kk",
            "c_ru",
            "correct",
        ],
        &[
            "fire-101",
            "3",
            "fire",
            "cat-1",
            "Өрт сөндіргіш қайда тұруы керек?",
            "Где должен находиться огнетушитель?",
            "Көрінетін жерде",
            "На видном месте",
            "Құлыпталған шкафта",
            "В запертом шкафу",
            "",
            "",
            "a",
        ],
        &[
            "fire-102",
            "",
            "fire",
            "cat-1",
            "Өрт кезінде не істеу керек?",
            "Что делать при пожаре?",
            "101-ге қоңырау шалу",
            "Позвонить 101",
            "Адамдарды шығару",
            "Вывести людей",
            "Лифтпен түсу",
            "Спуститься на лифте",
            "a, b",
        ],
        &[
            "el-101",
            "",
            "electrical",
            "cat-1",
            "Қай кернеу қауіпті?",
            "Какое напряжение опасно?",
            "12 В",
            "12 В",
            "380 В",
            "380 В",
            "",
            "",
            "b",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if r > 0 && c == 1 && !cell.is_empty() {
                // A number cell, as Excel keeps a typed 3.
                sheet
                    .write_number(r as u32, c as u16, cell.parse::<f64>().unwrap())
                    .unwrap();
            } else if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    let xlsx = book.save_to_buffer().unwrap();
    let tmp = small_source(3, &[]);
    write(tmp.path(), "questions/fire.xlsx", &xlsx);
    let (from_xlsx, warnings) = load_ok(tmp.path());
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(from_xlsx.questions, from_xml.questions);
    assert_eq!(from_xlsx.origins[2].line, Some(4), "row 4 of the sheet");

    // And the same rows as CSV.
    let csv: String = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(",")
                + "\n"
        })
        .collect();
    let tmp = small_source(3, &[("questions/fire.csv", &csv)]);
    assert_eq!(load_ok(tmp.path()).0.questions, from_xml.questions);
}

#[test]
fn spreadsheet_problems_are_reported_at_their_row() {
    let csv = "id,topic,categories,text_kk,text_ru,a_kk,a_ru,b_kk,b_ru,correct\n\
               q-1,t,cat-1,Сұрақ,Вопрос,Иә,Да,Жоқ,Нет,a\n\
               q-2,t,cat-1,Сұрақ,Вопрос,Иә,Да,Жоқ,Нет,\n\
               q-3,t,cat-1,Сұрақ,,Иә,Да,Жоқ,Нет,b\n";
    let tmp = small_source(1, &[("questions/q.csv", csv)]);
    let errs = errors_of(tmp.path());
    assert_eq!(
        errs,
        [
            "questions/q.csv:3: error: question q-2: no option is marked correct",
            "questions/q.csv:4: error: question q-3: text has no ru version",
        ]
    );
    assert!(all_diags(tmp.path()).iter().all(|d| d.line.is_some()));
}

#[test]
fn a_pairing_file_pairs_questions_whose_ids_differ_by_language() {
    let kk = "$CATEGORY: $course$/top/fire\n\n// categories: cat-1\n::өрт-1::Өрт сөндіргіш қайда? {=Көрінетін жерде ~Шкафта}\n\n// categories: cat-1\n::өрт-2::Лифт? {=Жоқ ~Иә}\n";
    let ru = "$CATEGORY: $course$/top/Пожар\n\n::пожар-1::Где огнетушитель? {=На видном месте ~В шкафу}\n\n::пожар-2::Лифт? {=Нет ~Да}\n\n::пожар-3::Лишний? {=Да ~Нет}\n";
    let tmp = small_source(
        2,
        &[
            ("questions/kk.gift", kk),
            ("questions/ru.gift", ru),
            ("pairs.csv", "kk,ru\nөрт-1,пожар-1\nөрт-2,пожар-2\nөрт-9,пожар-3\n"),
            (
                "import.toml",
                "[[pair]]\nkk = \"kk.gift\"\nru = \"ru.gift\"\nby = \"list\"\nlist = \"pairs.csv\"\n",
            ),
        ],
    );
    let errs = load_source_dir(tmp.path()).unwrap_err();
    let shown: Vec<_> = errs
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        [
            "pairs.csv:4: error[pair-missing]: question өрт-9 is not in questions/kk.gift",
            "questions/ru.gift:7: error[pair-missing]: question пожар-3: no Kazakh partner in questions/kk.gift (paired by the pairing file)",
        ],
        "{errs:#?}"
    );
    // Without the extra row and question: two bilingual questions with the Kazakh ids.
    write(
        tmp.path(),
        "pairs.csv",
        "kk,ru\nөрт-1,пожар-1\nөрт-2,пожар-2\n".as_bytes(),
    );
    write(
        tmp.path(),
        "questions/ru.gift",
        ru.replace("\n::пожар-3::Лишний? {=Да ~Нет}\n", "")
            .as_bytes(),
    );
    let (src, _) = load_ok(tmp.path());
    let got: Vec<_> = src
        .questions
        .iter()
        .map(|q| (q.id.0.as_str(), q.text.kk.as_str(), q.text.ru.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("өрт-1", "Өрт сөндіргіш қайда?", "Где огнетушитель?"),
            ("өрт-2", "Лифт?", "Лифт?")
        ]
    );
}
