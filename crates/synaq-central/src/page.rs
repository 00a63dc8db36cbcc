//! The public verification page `/v/{number}`, in Kazakh and Russian (no full ИИН).
//!
//! The labels come from the Fluent catalogs (`verify-page-*` in `assets/i18n/*/synaq.ftl`,
//! through `synaq-i18n`); the HTML is a minijinja template (`page.html`) that escapes every
//! value, so a name or number from the registry can never inject markup. Dates are shown as
//! `dd.MM.yyyy` (`synaq_core::time`); "expired" is decided by the office's date.

use std::sync::LazyLock;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::NaiveDate;
use minijinja::value::Serde;
use minijinja::{context, Environment, Value};
use serde::Serialize;
use synaq_core::{time, Lang};
use synaq_i18n::Localizer;
use synaq_sync::CertificateInfo;

use crate::certificate::PublicCheck;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // The `.html` name turns HTML auto-escaping on.
    env.add_template("page.html", include_str!("page.html"))
        .expect("the page template parses");
    env
});

pub(crate) static L10N: LazyLock<Localizer> =
    LazyLock::new(|| Localizer::new().expect("the shipped catalogs load"));

/// What the page's script needs to check a QR token in the browser.
#[derive(Debug, Clone)]
pub struct PageKey {
    /// Central's Ed25519 public key (the one that signs QR tokens).
    pub ed25519: [u8; 32],
}

/// The labels of one language.
#[derive(Serialize)]
struct Labels {
    title: String,
    number: String,
    name: String,
    iin: String,
    category: String,
    issued: String,
    valid_until: String,
    status: String,
    not_found: String,
    code_hint: String,
    code_label: String,
    code_button: String,
    code_wrong: String,
    qr_ok: String,
    qr_bad: String,
    qr_unsupported: String,
}

fn labels(lang: Lang) -> Labels {
    let t = |key: &str| L10N.text(lang, &format!("verify-page-{key}"));
    Labels {
        title: t("title"),
        number: t("number"),
        name: t("name"),
        iin: t("iin"),
        category: t("category"),
        issued: t("issued"),
        valid_until: t("valid-until"),
        status: t("status"),
        not_found: t("not-found"),
        code_hint: t("code-hint"),
        code_label: t("code-label"),
        code_button: t("code-button"),
        code_wrong: t("code-wrong"),
        qr_ok: t("qr-ok"),
        qr_bad: t("qr-bad"),
        qr_unsupported: t("qr-unsupported"),
    }
}

/// A certificate's values as one language shows them. `name` and `iin_masked` are empty
/// unless the check code was given: the script fills them from a verified QR token.
#[derive(Serialize)]
struct Shown {
    number: String,
    name: String,
    iin_masked: String,
    category: String,
    issued: String,
    valid_until: String,
}

/// The verdict the page leads with.
#[derive(Serialize)]
struct Verdict {
    /// `ok`, `bad` or `unknown` (the CSS class).
    class: &'static str,
    /// The verdict in each language, Kazakh first.
    words: Vec<String>,
}

#[derive(Serialize)]
struct Section {
    lang: &'static str,
    t: Labels,
    cert: Option<Shown>,
}

/// Only the last four digits of an ИИН ever reach the page, whatever the registry holds.
fn masked(iin_masked: &str) -> String {
    let digits = iin_masked.chars().filter(char::is_ascii_digit).count();
    if digits <= 4 {
        return iin_masked.to_owned();
    }
    let tail: String = iin_masked
        .chars()
        .rev()
        .filter(char::is_ascii_digit)
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("********{tail}")
}

fn shown(c: &CertificateInfo, lang: Lang, holder: bool) -> Shown {
    let t = |key: &str| L10N.text(lang, &format!("verify-page-{key}"));
    Shown {
        number: c.number.clone(),
        name: if holder {
            c.name.clone()
        } else {
            String::new()
        },
        iin_masked: if holder {
            masked(&c.iin_masked)
        } else {
            String::new()
        },
        category: if lang == Lang::Kk {
            c.category_kk.clone()
        } else {
            c.category_ru.clone()
        },
        issued: for_people(&c.issued),
        valid_until: c
            .valid_until
            .as_deref()
            .map_or_else(|| t("no-expiry"), for_people),
    }
}

/// Valid, expired (by the office's date) or revoked, in both languages.
fn verdict(c: &CertificateInfo, today: NaiveDate, langs: [Lang; 2]) -> Verdict {
    let expired = c
        .valid_until
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .is_some_and(|d| d < today);
    let (key, class) = match (c.status.as_str(), expired) {
        ("valid", false) => ("valid", "ok"),
        ("valid", true) => ("expired", "bad"),
        _ => ("revoked", "bad"),
    };
    Verdict {
        class,
        words: langs
            .iter()
            .map(|&l| L10N.text(l, &format!("verify-page-{key}")))
            .collect(),
    }
}

/// An ISO date as people read it (`dd.MM.yyyy`); anything else as it is.
fn for_people(iso: &str) -> String {
    time::parse_iso(iso).map_or_else(|_| iso.to_owned(), time::format_dmy)
}

/// Kazakh first unless `lang` asks for Russian.
fn order(lang: Option<&str>) -> [Lang; 2] {
    if lang == Some("ru") {
        [Lang::Ru, Lang::Kk]
    } else {
        [Lang::Kk, Lang::Ru]
    }
}

#[derive(Default, Serialize)]
struct Check {
    /// The number the page is about (the token must name it).
    number: String,
    /// Central's Ed25519 key, base64.
    key: String,
    /// The holder's name is on the page already (the check code matched).
    holder: bool,
    /// A check code was typed and did not match.
    code_wrong: bool,
}

/// `value` as JSON that is safe inside a `<script>` element: `<`, `>` and `&` escaped.
fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .expect("page data serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn render(title: &str, verdict: Verdict, sections: Vec<Section>, check: Check) -> String {
    TEMPLATES
        .get_template("page.html")
        .and_then(|t| {
            t.render(context! {
                lang => sections.first().map_or("kk", |s| s.lang),
                sections => Value::from(Serde(&sections)),
                verdict => Value::from(Serde(&verdict)),
                check => Value::from(Serde(&check)),
                check_json => Value::from_safe_string(script_json(&check)),
                issuer => L10N.text(Lang::Kk, "verify-page-issuer"),
                title => title,
            })
        })
        .expect("the page template renders")
}

/// The page for a certificate; `lang` (`kk`/`ru`) puts that language first. The holder's
/// name and ИИН digits are on it only when `check.code_ok`; `code_given` says a code was typed.
pub fn certificate(
    check: &PublicCheck,
    today: NaiveDate,
    lang: Option<&str>,
    code_given: bool,
    key: &PageKey,
) -> String {
    let langs = order(lang);
    let c = &check.cert;
    let sections = langs
        .into_iter()
        .map(|l| Section {
            lang: l.code(),
            t: labels(l),
            cert: Some(shown(c, l, check.code_ok)),
        })
        .collect();
    render(
        &c.number,
        verdict(c, today, langs),
        sections,
        Check {
            number: c.number.clone(),
            key: B64.encode(key.ed25519),
            holder: check.code_ok,
            code_wrong: code_given && !check.code_ok,
        },
    )
}

fn message_page(title: &str, key: &str) -> String {
    let langs = order(None);
    let sections = langs
        .into_iter()
        .map(|l| Section {
            lang: l.code(),
            t: labels(l),
            cert: None,
        })
        .collect();
    let verdict = Verdict {
        class: "unknown",
        words: langs
            .iter()
            .map(|&l| L10N.text(l, &format!("verify-page-{key}")))
            .collect(),
    };
    render(title, verdict, sections, Check::default())
}

/// The page for an unknown number.
pub fn not_found(number: &str) -> String {
    message_page(number, "not-found")
}

/// The page for an address that asked too often.
pub fn too_many() -> String {
    message_page("429", "too-many")
}

/// The page when the registry cannot be read.
pub fn unavailable() -> String {
    message_page("503", "unavailable")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert() -> CertificateInfo {
        CertificateInfo {
            number: "KZOT-2026-7QK4-M2XD".into(),
            name: "Әлия <script>alert(1)</script> & \"Co\"".into(),
            iin_masked: "********0017".into(),
            category: "B".into(),
            category_kk: "Жұмысшылар".into(),
            category_ru: "Рабочие".into(),
            issued: "2026-12-04".into(),
            valid_until: Some("2027-12-03".into()),
            status: "valid".into(),
            attempt_id: "a-1".into(),
            branch: "ALM-01".into(),
            qr: "https://x/v/KZOT-2026-7QK4-M2XD".into(),
            pdf_sha256: None,
            copy_sha256: None,
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn page(c: CertificateInfo, today: &str, lang: Option<&str>, code: Option<bool>) -> String {
        let check = PublicCheck {
            cert: c,
            code_ok: code == Some(true),
        };
        let key = PageKey { ed25519: [7; 32] };
        certificate(&check, day(today), lang, code.is_some(), &key)
    }

    #[test]
    fn with_the_check_code_shows_both_languages_with_catalog_labels_and_escapes_values() {
        let html = page(cert(), "2026-12-04", None, Some(true));
        assert!(
            html.contains("Жарамды") && html.contains("Действителен"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;") && html.contains("&amp;"));
        assert!(html.contains("********0017"));
        assert!(html.contains("Жұмысшылар") && html.contains("Рабочие"));
        assert!(html.contains("<dd>04.12.2026</dd>") && html.contains("<dd>03.12.2027</dd>"));
        assert!(html.find("lang=\"kk\"") < html.find("<section lang=\"ru\""));
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("verify-page-"), "a label key leaked: {html}");
        assert!(
            !html.contains("id=\"code-form\""),
            "no form once the code matched"
        );
        let ru_first = page(cert(), "2026-12-04", Some("ru"), Some(true));
        assert!(ru_first.find("<section lang=\"ru\"") < ru_first.find("<section lang=\"kk\""));
    }

    #[test]
    fn without_the_check_code_the_page_leads_with_the_status_and_never_names_the_holder() {
        for code in [None, Some(false)] {
            let html = page(cert(), "2026-12-04", None, code);
            let verdict = html.find("id=\"verdict\"").unwrap();
            assert!(
                verdict < html.find("<section").unwrap(),
                "the verdict comes first"
            );
            assert!(html.contains("Жарамды") && html.contains("Действителен"));
            assert!(!html.contains("Әлия"), "the name is on the page: {html}");
            assert!(!html.contains("0017"), "ИИН digits are on the page");
            assert!(
                html.contains("id=\"code-form\""),
                "the page asks for the code"
            );
            assert!(
                html.contains("id=\"synaq-check\""),
                "the token script is there"
            );
            assert_eq!(
                html.contains("Код проверки не совпадает"),
                code == Some(false),
                "a wrong code is said"
            );
        }
    }

    #[test]
    fn expired_and_revoked_say_so() {
        let html = page(cert(), "2027-12-04", None, None);
        assert!(html.contains("Мерзімі өткен") && html.contains("Истёк"));
        assert!(html.contains("verdict bad"));
        let mut c = cert();
        c.status = "revoked".into();
        let html = page(c.clone(), "2026-12-04", None, None);
        assert!(html.contains("Күші жойылған") && html.contains("Отозван"));
        c.valid_until = None;
        let html = page(c, "2026-12-04", None, Some(true));
        assert!(html.contains("Мерзімсіз") && html.contains("Бессрочно"));
    }

    #[test]
    fn never_shows_a_full_iin() {
        let mut c = cert();
        // A registry row that (wrongly) held the full number still shows four digits only.
        c.iin_masked = "900101300017".into();
        let html = page(c, "2026-12-04", None, Some(true));
        assert!(!html.contains("900101300017"), "{html}");
        assert!(html.contains("********0017"));
        let twelve_digits = html
            .as_bytes()
            .windows(12)
            .any(|w| w.iter().all(u8::is_ascii_digit));
        assert!(!twelve_digits, "{html}");
    }

    #[test]
    fn an_unknown_number_is_escaped_and_said_in_both_languages() {
        let html = not_found("<b>X</b>");
        assert!(
            !html.contains("<b>") && html.contains("&lt;b&gt;X"),
            "{html}"
        );
        assert!(html.contains("verdict unknown"));
        assert!(!html.contains("code-form"));
        assert!(html.contains("Мұндай нөмірлі сертификат тізілімде жоқ."));
        assert!(html.contains("Сертификата с таким номером нет в реестре."));
        assert!(too_many().contains("Повторите через минуту"));
    }
}
