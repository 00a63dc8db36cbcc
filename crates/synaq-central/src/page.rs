//! The public verification page `/v/{number}`, in Kazakh and Russian (no full ИИН).
//!
//! The labels come from the Fluent catalogs (`verify-page-*` in `assets/i18n/*/synaq.ftl`,
//! through `synaq-i18n`); the HTML is a minijinja template (`page.html`) that escapes every
//! value, so a name or number from the registry can never inject markup. Dates are shown as
//! `dd.MM.yyyy` (`synaq_core::time`); "expired" is decided by the office's date.

use std::sync::LazyLock;

use chrono::NaiveDate;
use minijinja::value::Serde;
use minijinja::{context, Environment, Value};
use serde::Serialize;
use synaq_core::{time, Lang};
use synaq_i18n::Localizer;
use synaq_sync::CertificateInfo;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // The `.html` name turns HTML auto-escaping on.
    env.add_template("page.html", include_str!("page.html"))
        .expect("the page template parses");
    env
});

static L10N: LazyLock<Localizer> =
    LazyLock::new(|| Localizer::new().expect("the shipped catalogs load"));

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
    }
}

/// A certificate's values as one language shows them.
#[derive(Serialize)]
struct Shown {
    number: String,
    name: String,
    iin_masked: String,
    category: String,
    issued: String,
    valid_until: String,
    status: String,
    class: &'static str,
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

fn shown(c: &CertificateInfo, lang: Lang, today: NaiveDate) -> Shown {
    let t = |key: &str| L10N.text(lang, &format!("verify-page-{key}"));
    let expired = c
        .valid_until
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .is_some_and(|d| d < today);
    let (status, class) = match (c.status.as_str(), expired) {
        ("valid", false) => (t("valid"), "ok"),
        ("valid", true) => (t("expired"), "bad"),
        _ => (t("revoked"), "bad"),
    };
    Shown {
        number: c.number.clone(),
        name: c.name.clone(),
        iin_masked: masked(&c.iin_masked),
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
        status,
        class,
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

fn render(title: &str, sections: Vec<Section>) -> String {
    TEMPLATES
        .get_template("page.html")
        .and_then(|t| {
            t.render(context! {
                lang => sections.first().map_or("kk", |s| s.lang),
                sections => Value::from(Serde(&sections)),
                issuer => L10N.text(Lang::Kk, "verify-page-issuer"),
                title => title,
            })
        })
        .expect("the page template renders")
}

/// The page for a certificate; `lang` (`kk`/`ru`) puts that language first.
pub fn certificate(c: &CertificateInfo, today: NaiveDate, lang: Option<&str>) -> String {
    let sections = order(lang)
        .into_iter()
        .map(|l| Section {
            lang: l.code(),
            t: labels(l),
            cert: Some(shown(c, l, today)),
        })
        .collect();
    render(&c.number, sections)
}

/// The page for an unknown number.
pub fn not_found(number: &str) -> String {
    let sections = order(None)
        .into_iter()
        .map(|l| Section {
            lang: l.code(),
            t: labels(l),
            cert: None,
        })
        .collect();
    render(number, sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert() -> CertificateInfo {
        CertificateInfo {
            number: "KZOT-2026-000001".into(),
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
            qr: "https://x/v/KZOT-2026-000001".into(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn shows_both_languages_with_catalog_labels_and_escapes_values() {
        let html = certificate(&cert(), day("2026-12-04"), None);
        assert!(
            html.contains("Жарамды") && html.contains("Действителен"),
            "{html}"
        );
        assert!(html.contains("Сертификат нөмірі") && html.contains("Номер сертификата"));
        assert!(html.contains("Жұмысшылар") && html.contains("Рабочие"));
        assert!(html.contains("<dd>04.12.2026</dd>") && html.contains("<dd>03.12.2027</dd>"));
        assert!(html.find("lang=\"kk\"") < html.find("<section lang=\"ru\""));
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;") && html.contains("&amp;"));
        assert!(!html.contains("verify-page-"), "a label key leaked: {html}");
        let ru_first = certificate(&cert(), day("2026-12-04"), Some("ru"));
        assert!(ru_first.find("<section lang=\"ru\"") < ru_first.find("<section lang=\"kk\""));
    }

    #[test]
    fn expired_and_revoked_say_so() {
        let html = certificate(&cert(), day("2027-12-04"), None);
        assert!(html.contains("Мерзімі өткен") && html.contains("Истёк"));
        let mut c = cert();
        c.status = "revoked".into();
        let html = certificate(&c, day("2026-12-04"), None);
        assert!(html.contains("Күші жойылған") && html.contains("Отозван"));
        c.valid_until = None;
        let html = certificate(&c, day("2026-12-04"), None);
        assert!(html.contains("Мерзімсіз") && html.contains("Бессрочно"));
    }

    #[test]
    fn never_shows_a_full_iin() {
        let mut c = cert();
        // A registry row that (wrongly) held the full number still shows four digits only.
        c.iin_masked = "900101300017".into();
        let html = certificate(&c, day("2026-12-04"), None);
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
        assert!(html.contains("Мұндай нөмірлі сертификат тізілімде жоқ."));
        assert!(html.contains("Сертификата с таким номером нет в реестре."));
    }
}
