//! Bilingual rich text: Moodle's multilang conventions, HTML reduced to text, and images.
//!
//! A [`Composer`] collects text pieces, each tagged with the languages it belongs to, and
//! composes one plain string per language. [`parse_html`] feeds it from an HTML fragment
//! (Moodle XML, GIFT); the QTI importer feeds it from an XML tree.

use std::collections::BTreeSet;

use synaq_core::Text;

const KK: u8 = 1;
const RU: u8 = 2;
const EN: u8 = 4;
const LANGS: [u8; 3] = [KK, RU, EN];

/// The languages a piece of text belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ctx {
    /// Outside any language block: every language.
    Neutral,
    /// Inside a block for these languages (a mask of `KK`, `RU`, `EN`).
    Langs(u8),
    /// Inside a block for a language Synaq does not use: dropped.
    Other,
}

/// An image found in rich text, with its text alternative per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RichImage {
    pub(crate) src: String,
    pub(crate) alt: Text,
}

/// Rich text composed into one plain text per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rich {
    pub(crate) text: Text,
    pub(crate) images: Vec<RichImage>,
    /// No language block at all, and the text has letters: the same words are used for
    /// Kazakh and Russian.
    pub(crate) unmarked_letters: bool,
    /// Language codes of blocks that were dropped.
    pub(crate) unknown_langs: BTreeSet<String>,
    /// Sound or video the text plays or links to (`<audio>`, `<video>`, `<source>`,
    /// `<embed>`, `<object>`, `<iframe>`, or a link to a media file): the kiosk cannot play
    /// them, so they are not in the text.
    pub(crate) media: Vec<String>,
}

impl Rich {
    /// Keeps only `lang`'s reading of text that has no language block at all (a file in one
    /// language): the other of Kazakh and Russian is left empty, for a paired file to fill.
    /// Text with language blocks is left as it is.
    pub(crate) fn only(&mut self, lang: synaq_core::Lang) {
        if !self.unmarked_letters {
            return;
        }
        self.unmarked_letters = false;
        restrict(&mut self.text, lang);
        for img in &mut self.images {
            // An alt written per language ({mlang} in the alt) stays as written.
            if img.alt.kk == img.alt.ru {
                restrict(&mut img.alt, lang);
            }
        }
    }

    /// Warnings about how the text was read, for `what` ("question text", "option b").
    pub(crate) fn notes(&self, what: &str) -> Vec<String> {
        let mut notes = Vec::new();
        if self.unmarked_letters {
            notes.push(format!(
                "{what} has no language blocks, so the same text is shown in Kazakh and Russian"
            ));
        }
        if !self.unknown_langs.is_empty() {
            let langs: Vec<_> = self.unknown_langs.iter().map(String::as_str).collect();
            notes.push(format!(
                "{what}: text in language {} ignored (Synaq uses kk, ru and en)",
                langs.join(", ")
            ));
        }
        notes
    }
}

/// Empties every language of `text` but `lang`.
fn restrict(text: &mut Text, lang: synaq_core::Lang) {
    match lang {
        synaq_core::Lang::Kk => text.ru.clear(),
        synaq_core::Lang::Ru => text.kk.clear(),
        synaq_core::Lang::En => {}
    }
}

/// Whether a file name or URL is a sound or a video, by its extension.
pub(crate) fn is_media_file(src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or_default();
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some(
            "mp3"
                | "wav"
                | "ogg"
                | "oga"
                | "m4a"
                | "aac"
                | "flac"
                | "wma"
                | "opus"
                | "mp4"
                | "m4v"
                | "webm"
                | "ogv"
                | "avi"
                | "mov"
                | "wmv"
                | "mkv"
                | "mpg"
                | "mpeg"
                | "flv"
                | "swf"
        )
    )
}

#[derive(Debug, Default)]
struct ImageParts {
    src: String,
    alt: [String; 3],
    en_alt: bool,
}

/// Collects text pieces tagged with languages, see the module docs.
#[derive(Debug, Default)]
pub(crate) struct Composer {
    bufs: [String; 3],
    seen: u8,
    any_marker: bool,
    neutral_letters: bool,
    images: Vec<ImageParts>,
    unknown: BTreeSet<String>,
    media: Vec<String>,
}

impl Composer {
    pub(crate) fn new() -> Self {
        Composer::default()
    }

    /// The context for a language attribute or `{mlang …}` list such as `kk`, `ru-KZ`,
    /// `kk,ru`; records that the text has language blocks.
    pub(crate) fn lang_ctx(&mut self, list: &str) -> Ctx {
        self.any_marker = true;
        let mut mask = 0;
        for part in list
            .split([',', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let base = part.split(['-', '_']).next().unwrap_or_default();
            match base.to_ascii_lowercase().as_str() {
                "kk" => mask |= KK,
                "ru" => mask |= RU,
                "en" => mask |= EN,
                _ => {
                    self.unknown.insert(part.to_string());
                }
            }
        }
        self.seen |= mask;
        if mask == 0 {
            Ctx::Other
        } else {
            Ctx::Langs(mask)
        }
    }

    pub(crate) fn push_text(&mut self, ctx: Ctx, s: &str) {
        if s.is_empty() {
            return;
        }
        match ctx {
            Ctx::Neutral => {
                if s.chars().any(char::is_alphabetic) {
                    self.neutral_letters = true;
                }
                for b in &mut self.bufs {
                    b.push_str(s);
                }
            }
            Ctx::Langs(mask) => {
                for (b, bit) in self.bufs.iter_mut().zip(LANGS) {
                    if mask & bit != 0 {
                        b.push_str(s);
                    }
                }
            }
            Ctx::Other => {}
        }
    }

    /// Sound or video that cannot be shown (see [`Rich::media`]); each source once.
    pub(crate) fn push_media(&mut self, src: &str) {
        let src = src.trim().to_string();
        if !self.media.contains(&src) {
            self.media.push(src);
        }
    }

    /// A block boundary (paragraph, line break): a space in every language.
    pub(crate) fn push_break(&mut self) {
        for b in &mut self.bufs {
            b.push(' ');
        }
    }

    /// An `<img>`; images with the same `src` are one image, with the `alt` of each language
    /// block it appears in.
    pub(crate) fn push_image(&mut self, ctx: Ctx, src: &str, alt: &str) {
        let (alts, en_alt): ([String; 3], bool) = match ctx {
            Ctx::Other => return,
            Ctx::Neutral => {
                let r = parse_html(alt);
                let en = r.text.en.is_some();
                ([r.text.kk, r.text.ru, r.text.en.unwrap_or_default()], en)
            }
            Ctx::Langs(mask) => {
                let a = squash(alt);
                let pick = |bit: u8| {
                    if mask & bit != 0 {
                        a.clone()
                    } else {
                        String::new()
                    }
                };
                ([pick(KK), pick(RU), pick(EN)], mask & EN != 0)
            }
        };
        let src = src.trim();
        let idx = match self.images.iter().position(|i| i.src == src) {
            Some(i) => i,
            None => {
                self.images.push(ImageParts {
                    src: src.to_string(),
                    ..ImageParts::default()
                });
                self.images.len() - 1
            }
        };
        let img = &mut self.images[idx];
        for (have, new) in img.alt.iter_mut().zip(alts) {
            if have.is_empty() {
                *have = new;
            }
        }
        img.en_alt |= en_alt;
    }

    pub(crate) fn finish(self) -> Rich {
        let Composer {
            bufs,
            seen,
            any_marker,
            neutral_letters,
            images,
            unknown,
            media,
        } = self;
        let [kk, ru, en] = bufs;
        let pick = |buf: String, bit: u8| {
            if !any_marker || seen & bit != 0 {
                squash(&buf)
            } else {
                String::new()
            }
        };
        let text = Text {
            kk: pick(kk, KK),
            ru: pick(ru, RU),
            en: (seen & EN != 0).then(|| squash(&en)),
        };
        let images = images
            .into_iter()
            .map(|i| {
                let [kk, ru, en] = i.alt;
                RichImage {
                    src: i.src,
                    alt: Text {
                        kk,
                        ru,
                        en: i.en_alt.then_some(en),
                    },
                }
            })
            .collect();
        Rich {
            text,
            images,
            unmarked_letters: !any_marker && neutral_letters,
            unknown_langs: unknown,
            media,
        }
    }
}

/// Whitespace collapsed to single spaces, trimmed.
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements that separate blocks of text.
pub(crate) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "blockquote"
            | "pre"
    )
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "img"
            | "hr"
            | "input"
            | "meta"
            | "link"
            | "wbr"
            | "source"
            | "col"
            | "area"
            | "base"
            | "embed"
            | "param"
            | "track"
    )
}

/// Reads an HTML fragment (Moodle's question and answer text) into per-language text.
pub(crate) fn parse_html(html: &str) -> Rich {
    let mut c = Composer::new();
    feed_html(&mut c, html);
    c.finish()
}

struct Tag {
    closing: bool,
    self_closing: bool,
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The sound or video an HTML element plays or links to, if any.
fn media_of(tag: &Tag) -> Option<String> {
    let named = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| tag.attr(k))
            .map(str::to_string)
            .unwrap_or_else(|| format!("<{}>", tag.name))
    };
    match tag.name.as_str() {
        "audio" | "video" => tag.attr("src").map(str::to_string),
        "embed" | "iframe" => Some(named(&["src"])),
        "object" => Some(named(&["data"])),
        "source" => Some(named(&["src", "srcset"])),
        "a" => tag
            .attr("href")
            .filter(|h| is_media_file(h))
            .map(str::to_string),
        _ => None,
    }
}

fn feed_html(c: &mut Composer, html: &str) {
    let mut stack: Vec<(String, Ctx)> = Vec::new();
    let mut mlang: Option<Ctx> = None;
    let current = |stack: &[(String, Ctx)], mlang: Option<Ctx>| {
        mlang
            .or_else(|| stack.last().map(|e| e.1))
            .unwrap_or(Ctx::Neutral)
    };
    let mut text = String::new();
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if let Some(after) = rest.strip_prefix("<!--") {
            c.push_text(current(&stack, mlang), &text);
            text.clear();
            i += after.find("-->").map_or(rest.len(), |p| p + 7);
            continue;
        }
        if let Some(tag) = rest.strip_prefix('<') {
            let next = tag.chars().next();
            if next.is_some_and(|ch| ch.is_ascii_alphabetic() || ch == '/' || ch == '!') {
                if let Some(end) = tag_end(rest) {
                    c.push_text(current(&stack, mlang), &text);
                    text.clear();
                    let tag = parse_tag(&rest[1..end]);
                    i += end + 1;
                    if tag.closing {
                        if let Some(p) = stack.iter().rposition(|(n, _)| *n == tag.name) {
                            stack.truncate(p);
                        }
                        if is_block(&tag.name) {
                            c.push_break();
                        }
                        continue;
                    }
                    if is_block(&tag.name) {
                        c.push_break();
                    }
                    let ctx = current(&stack, mlang);
                    if tag.name == "img" {
                        let src = tag.attr("src").unwrap_or_default();
                        c.push_image(ctx, src, tag.attr("alt").unwrap_or_default());
                        continue;
                    }
                    if let Some(src) = media_of(&tag) {
                        c.push_media(&src);
                    }
                    if matches!(tag.name.as_str(), "audio" | "video" | "object" | "iframe")
                        && !tag.self_closing
                    {
                        // The player's sources are media; its fallback text is not the question.
                        let close = format!("</{}", tag.name);
                        let end = html[i..].find(&close).unwrap_or(html.len() - i);
                        let inner = parse_html(&html[i..i + end]);
                        for m in inner.media {
                            c.push_media(&m);
                        }
                        i += end;
                        continue;
                    }
                    if tag.name == "script" || tag.name == "style" {
                        let close = format!("</{}", tag.name);
                        i += html[i..].find(&close).unwrap_or(html.len() - i);
                        continue;
                    }
                    if tag.self_closing || is_void(&tag.name) || tag.name.starts_with('!') {
                        continue;
                    }
                    let lang = tag.attr("lang").or_else(|| tag.attr("xml:lang"));
                    let ctx = match lang.filter(|l| !l.trim().is_empty()) {
                        Some(l) => c.lang_ctx(l),
                        None => ctx,
                    };
                    stack.push((tag.name, ctx));
                    continue;
                }
            }
        }
        if rest.starts_with('&') {
            if let Some((decoded, len)) = entity(rest) {
                text.push(decoded);
                i += len;
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("{mlang") {
            if after.starts_with(['}', ' ']) {
                if let Some(end) = after.find('}') {
                    c.push_text(current(&stack, mlang), &text);
                    text.clear();
                    let list = after[..end].trim();
                    mlang = if list.is_empty() {
                        None
                    } else {
                        Some(c.lang_ctx(list))
                    };
                    i += "{mlang".len() + end + 1;
                    continue;
                }
            }
        }
        let ch = rest.chars().next().unwrap_or_default();
        text.push(ch);
        i += ch.len_utf8().max(1);
    }
    c.push_text(current(&stack, mlang), &text);
}

/// The index of the `>` that ends the tag `rest` starts with, skipping quoted values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, ch) in rest.char_indices().skip(1) {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(ch),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

fn parse_tag(inner: &str) -> Tag {
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let (self_closing, inner) = match inner.trim_end().strip_suffix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut rest = &inner[name_end..];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let (v, after) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => match r[1..].find(q) {
                    Some(e) => (&r[1..1 + e], &r[2 + e..]),
                    None => (&r[1..], ""),
                },
                _ => {
                    let e = r.find(char::is_whitespace).unwrap_or(r.len());
                    (&r[..e], &r[e..])
                }
            };
            value = decode_entities(v);
            rest = after;
        }
        if key.is_empty() {
            // A stray '=' or quote: skip one character.
            let skip = rest.chars().next().map_or(0, char::len_utf8);
            rest = &rest[skip..];
            continue;
        }
        attrs.push((key, value));
    }
    Tag {
        closing,
        self_closing,
        name,
        attrs,
    }
}

/// The character an entity at the start of `s` stands for, and the entity's length.
pub(crate) fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..end];
    let ch = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        named_entity(name)?
    };
    Some((ch, end + 1))
}

/// The HTML named entities question text is likely to hold.
pub(crate) fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "laquo" => '«',
        "raquo" => '»',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "deg" => '°',
        "times" => '×',
        "le" => '≤',
        "ge" => '≥',
        "shy" => '\u{ad}',
        _ => return None,
    })
}

/// `s` with HTML entities decoded; unknown ones are kept as written.
pub(crate) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('&') {
            if let Some((ch, len)) = entity(rest) {
                out.push(ch);
                i += len;
                continue;
            }
        }
        let ch = rest.chars().next().unwrap_or_default();
        out.push(ch);
        i += ch.len_utf8().max(1);
    }
    out
}

/// Percent-decoding for file names in URLs (`my%20sign.png`).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The `media/…` path an image source refers to, or why it cannot be used.
///
/// `x.png`, `./x.png`, `/x.png`, `../media/x.png` and `media/x.png` all give `media/x.png`;
/// `img/x.png` gives `media/img/x.png`.
pub(crate) fn media_path(src: &str) -> Result<String, String> {
    let src = src.trim();
    let lower = src.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("data:") || lower.starts_with("//") {
        return Err(format!(
            "image {src:?} is not a file: the kiosk is offline, so images must be files under media/"
        ));
    }
    let decoded = percent_decode(src).replace('\\', "/");
    let parts: Vec<&str> = decoded
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect();
    match parts.as_slice() {
        [] | ["media"] => Err(format!("image {src:?} names no file")),
        ["media", rest @ ..] if !rest.is_empty() => Ok(parts.join("/")),
        _ => Ok(format!("media/{}", parts.join("/"))),
    }
}

/// The one image a question may carry: none, or one whose `src` `resolve` turns into a media
/// path. More than one is an error, as is a path `resolve` refuses.
pub(crate) fn question_image(
    images: &[RichImage],
    resolve: impl FnOnce(&str) -> Result<String, String>,
) -> Result<Option<synaq_core::Image>, String> {
    match images {
        [] => Ok(None),
        [img] => resolve(&img.src).map(|path| {
            Some(synaq_core::Image {
                path,
                alt: img.alt.clone(),
            })
        }),
        _ => Err("more than one image; Synaq shows one per question".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(kk: &str, ru: &str) -> Text {
        Text {
            kk: kk.into(),
            ru: ru.into(),
            en: None,
        }
    }

    #[test]
    fn multilang_spans() {
        let r = parse_html(
            r#"<p><span lang="kk" class="multilang">Өрт сөндіргіш</span><span lang="ru" class="multilang">Огнетушитель</span></p>"#,
        );
        assert_eq!(r.text, text("Өрт сөндіргіш", "Огнетушитель"));
        assert!(!r.unmarked_letters);
        assert!(r.images.is_empty());
    }

    #[test]
    fn mlang_form_and_shared_text() {
        let r = parse_html("1) {mlang kk}Иә{mlang}{mlang ru}Да{mlang} {mlang en}Yes{mlang}");
        assert_eq!(r.text.kk, "1) Иә");
        assert_eq!(r.text.ru, "1) Да");
        assert_eq!(r.text.en.as_deref(), Some("1) Yes"));
    }

    #[test]
    fn missing_language_gets_nothing() {
        let r = parse_html(r#"Note: <span lang="kk" class="multilang">Ескерту</span>"#);
        assert_eq!(r.text, text("Note: Ескерту", ""));
    }

    #[test]
    fn unmarked_text_is_shared_and_noted() {
        let r = parse_html("<b>220&nbsp;В</b> &amp; more");
        assert_eq!(r.text, text("220 В & more", "220 В & more"));
        assert!(r.unmarked_letters);
        assert_eq!(r.notes("option a").len(), 1);
        let r = parse_html("42 %");
        assert!(!r.unmarked_letters);
    }

    #[test]
    fn tags_entities_and_comments_are_stripped() {
        let r = parse_html(
            "<p>a&lt;b<br/>c</p><!-- note --><p style=\"x>y\">d&#1179;&#x4E9;</p><script>x</script>e",
        );
        assert_eq!(r.text.kk, "a<b c dқө e");
        let r = parse_html("a < b and c > d");
        assert_eq!(r.text.kk, "a < b and c > d");
    }

    #[test]
    fn regional_codes_and_unknown_languages() {
        let r = parse_html(
            r#"<span lang="kk_kz">Сәлем</span><span lang="ru-RU">Привет</span><span lang="de">Hallo</span>"#,
        );
        assert_eq!(r.text, text("Сәлем", "Привет"));
        assert_eq!(r.unknown_langs.iter().collect::<Vec<_>>(), ["de"]);
        assert_eq!(r.notes("x").len(), 1);
    }

    #[test]
    fn empty_lang_attributes_are_no_block() {
        let r = parse_html(r#"<span lang="">Сәлем</span>"#);
        assert_eq!(r.text, text("Сәлем", "Сәлем"));
    }

    #[test]
    fn nested_spans() {
        let r = parse_html(
            r#"<span lang="kk" class="multilang">A <span style="x">B</span> C</span><span lang="ru" class="multilang">D</span>"#,
        );
        assert_eq!(r.text, text("A B C", "D"));
    }

    #[test]
    fn images_with_alt_per_language() {
        let r = parse_html(
            r#"<span lang="kk" class="multilang">Белгі <img src="@@PLUGINFILE@@/sign.png" alt="Белгі суреті"></span><span lang="ru" class="multilang">Знак <img src="@@PLUGINFILE@@/sign.png" alt="Рисунок знака"/></span>"#,
        );
        assert_eq!(r.text, text("Белгі", "Знак"));
        assert_eq!(
            r.images,
            [RichImage {
                src: "@@PLUGINFILE@@/sign.png".into(),
                alt: text("Белгі суреті", "Рисунок знака")
            }]
        );
        let r = parse_html(
            r#"<img src="media/x.png" alt="{mlang kk}Сурет{mlang}{mlang ru}Рисунок{mlang}">"#,
        );
        assert_eq!(r.images[0].alt, text("Сурет", "Рисунок"));
        let r = parse_html(r#"<img src='a.png'> <img src="b.png">"#);
        assert_eq!(r.images.len(), 2);
        assert_eq!(r.images[0].alt, text("", ""));
    }

    #[test]
    fn sound_and_video_are_found_and_kept_out_of_the_text() {
        let r = parse_html(
            r#"Тыңдаңыз: <audio controls><source src="@@PLUGINFILE@@/alarm.mp3" type="audio/mpeg">Your browser does not support audio.</audio> <a href="siren.ogg">siren</a> <a href="https://x.kz">site</a> <video src="v.mp4"/>"#,
        );
        assert_eq!(r.text.kk, "Тыңдаңыз: siren site");
        assert_eq!(r.media, ["@@PLUGINFILE@@/alarm.mp3", "siren.ogg", "v.mp4"]);
        assert!(parse_html("<p>Сурет <img src=\"x.png\"></p>")
            .media
            .is_empty());
        assert!(is_media_file("a/b.MP3?x=1"));
        assert!(!is_media_file("a.png"));
    }

    #[test]
    fn one_language_files_keep_untagged_text_in_that_language_only() {
        let mut r = parse_html("Огнетушитель <img src=\"x.png\" alt=\"Знак\">");
        r.only(synaq_core::Lang::Ru);
        assert_eq!(r.text, text("", "Огнетушитель"));
        assert_eq!(r.images[0].alt, text("", "Знак"));
        assert!(!r.unmarked_letters);
        let mut r = parse_html("{mlang kk}Иә{mlang}{mlang ru}Да{mlang}");
        r.only(synaq_core::Lang::Ru);
        assert_eq!(r.text, text("Иә", "Да"));
    }

    #[test]
    fn media_paths() {
        assert_eq!(media_path("x.png").unwrap(), "media/x.png");
        assert_eq!(media_path("./media/x.png").unwrap(), "media/x.png");
        assert_eq!(media_path("../../media/a/x.png").unwrap(), "media/a/x.png");
        assert_eq!(media_path("/img/my%20x.png").unwrap(), "media/img/my x.png");
        assert_eq!(media_path("img\\x.png").unwrap(), "media/img/x.png");
        assert!(media_path("https://example.com/x.png").is_err());
        assert!(media_path("data:image/png;base64,AAAA").is_err());
        assert!(media_path("  ").is_err());
        assert!(media_path("media/").is_err());
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%D0%B0"), "a bа");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
