//! The public verification page `/v/{number}`, in Kazakh and Russian (no full ИИН).

use chrono::NaiveDate;
use synaq_sync::CertificateInfo;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

struct Labels {
    lang: &'static str,
    title: &'static str,
    number: &'static str,
    name: &'static str,
    iin: &'static str,
    category: &'static str,
    issued: &'static str,
    valid_until: &'static str,
    no_expiry: &'static str,
    status: &'static str,
    valid: &'static str,
    expired: &'static str,
    revoked: &'static str,
}

const KK: Labels = Labels {
    lang: "kk",
    title: "Еңбекті қорғау бойынша білімді тексеру сертификаты",
    number: "Сертификат нөмірі",
    name: "Аты-жөні",
    iin: "ЖСН",
    category: "Санат",
    issued: "Берілген күні",
    valid_until: "Жарамдылық мерзімі",
    no_expiry: "Мерзімсіз",
    status: "Мәртебесі",
    valid: "Жарамды",
    expired: "Мерзімі өткен",
    revoked: "Кері қайтарылған",
};

const RU: Labels = Labels {
    lang: "ru",
    title: "Сертификат о проверке знаний по охране труда",
    number: "Номер сертификата",
    name: "ФИО",
    iin: "ИИН",
    category: "Категория",
    issued: "Дата выдачи",
    valid_until: "Действителен до",
    no_expiry: "Бессрочно",
    status: "Статус",
    valid: "Действителен",
    expired: "Истёк",
    revoked: "Отозван",
};

fn section(c: &CertificateInfo, l: &Labels, today: NaiveDate) -> String {
    let expired = c
        .valid_until
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .is_some_and(|d| d < today);
    let (status, class) = match (c.status.as_str(), expired) {
        ("valid", false) => (l.valid, "ok"),
        ("valid", true) => (l.expired, "bad"),
        _ => (l.revoked, "bad"),
    };
    let category = if l.lang == "kk" {
        &c.category_kk
    } else {
        &c.category_ru
    };
    format!(
        r#"<section lang="{lang}"><h2>{title}</h2><dl>
<dt>{number}</dt><dd>{n}</dd>
<dt>{name}</dt><dd>{nm}</dd>
<dt>{iin}</dt><dd>{m}</dd>
<dt>{category_l}</dt><dd>{cat}</dd>
<dt>{issued}</dt><dd>{i}</dd>
<dt>{valid_until}</dt><dd>{u}</dd>
<dt>{status_l}</dt><dd class="{class}">{status}</dd>
</dl></section>"#,
        lang = l.lang,
        title = l.title,
        number = l.number,
        n = esc(&c.number),
        name = l.name,
        nm = esc(&c.name),
        iin = l.iin,
        m = esc(&c.iin_masked),
        category_l = l.category,
        cat = esc(category),
        issued = l.issued,
        i = esc(&c.issued),
        valid_until = l.valid_until,
        u = esc(c.valid_until.as_deref().unwrap_or(l.no_expiry)),
        status_l = l.status,
    )
}

fn wrap(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="kk"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}</title>
<style>body{{font-family:"Noto Sans","PT Sans","DejaVu Sans",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}
dt{{font-weight:bold;margin-top:.5rem}}.ok{{color:#1a7f37;font-weight:bold}}.bad{{color:#b42318;font-weight:bold}}
section{{border:1px solid #ccc;border-radius:8px;padding:1rem;margin-bottom:1rem}}</style></head>
<body><h1>ЕУМЦ · {t}</h1>{body}</body></html>"#,
        t = esc(title)
    )
}

/// The page for a certificate; `lang` (`kk`/`ru`) puts that language first.
pub fn certificate(c: &CertificateInfo, today: NaiveDate, lang: Option<&str>) -> String {
    let (a, b) = if lang == Some("ru") {
        (&RU, &KK)
    } else {
        (&KK, &RU)
    };
    wrap(
        &c.number,
        &format!("{}{}", section(c, a, today), section(c, b, today)),
    )
}

/// The page for an unknown number.
pub fn not_found(number: &str) -> String {
    wrap(
        number,
        "<section lang=\"kk\"><p class=\"bad\">Мұндай нөмірлі сертификат тізілімде жоқ.</p></section>\
         <section lang=\"ru\"><p class=\"bad\">Сертификата с таким номером нет в реестре.</p></section>",
    )
}
