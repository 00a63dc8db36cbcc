//! A small XML tree built with quick-xml, keeping each element's byte offset for line numbers.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::rich;

/// An element: its local name (no namespace prefix), attributes with qualified keys
/// (`xml:lang`, `xmlns`), children, and the byte offset of its `<`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) children: Vec<Node>,
    pub(crate) pos: usize,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

/// A parsed document: the root element and every comment with its byte offset.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub(crate) root: Element,
    pub(crate) comments: Vec<(usize, String)>,
}

/// Why a document could not be read, and where.
#[derive(Debug, Clone)]
pub(crate) struct XmlError {
    pub(crate) pos: usize,
    pub(crate) message: String,
}

impl Element {
    pub(crate) fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements.
    pub(crate) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements called `name`.
    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first child element called `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Every descendant element called `name`, in document order.
    pub(crate) fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            }
            e.descendants(name, out);
        }
    }

    /// All text inside, concatenated.
    pub(crate) fn text(&self) -> String {
        let mut s = String::new();
        self.collect_text(&mut s);
        s
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }
}

fn element(e: &BytesStart<'_>, pos: usize) -> Result<Element, XmlError> {
    let err = |message: String| XmlError { pos, message };
    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| err(x.to_string()))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = rich::decode_entities(&String::from_utf8_lossy(&a.value));
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        pos,
    })
}

fn push_text(stack: &mut [Element], text: &str, pos: usize) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(top) => {
            if let Some(Node::Text(t)) = top.children.last_mut() {
                t.push_str(text);
            } else {
                top.children.push(Node::Text(text.to_string()));
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(XmlError {
            pos,
            message: "text outside the root element".into(),
        }),
    }
}

/// Parses a whole document.
pub(crate) fn parse(src: &str) -> Result<Doc, XmlError> {
    let mut reader = Reader::from_str(src);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut comments = Vec::new();
    let mut attach = |stack: &mut Vec<Element>, el: Element| -> Result<(), XmlError> {
        match stack.last_mut() {
            Some(top) => top.children.push(Node::Element(el)),
            None if root.is_none() => root = Some(el),
            None => {
                return Err(XmlError {
                    pos: el.pos,
                    message: format!("a second root element <{}>", el.name),
                })
            }
        }
        Ok(())
    };
    loop {
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| XmlError {
            pos: usize::try_from(reader.error_position()).unwrap_or(usize::MAX),
            message: e.to_string(),
        })?;
        let decode_err = |e: quick_xml::encoding::EncodingError| XmlError {
            pos,
            message: e.to_string(),
        };
        match event {
            Event::Start(e) => stack.push(element(&e, pos)?),
            Event::Empty(e) => {
                let el = element(&e, pos)?;
                attach(&mut stack, el)?;
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    attach(&mut stack, el)?;
                }
            }
            Event::Text(t) => {
                let s = t.xml_content().map_err(decode_err)?;
                push_text(&mut stack, &s, pos)?;
            }
            Event::CData(t) => {
                let s = t.decode().map_err(decode_err)?;
                push_text(&mut stack, &s, pos)?;
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(ch)) => Some(ch),
                    Ok(None) => rich::named_entity(&r.decode().map_err(decode_err)?),
                    Err(_) => None,
                };
                let Some(ch) = ch else {
                    return Err(XmlError {
                        pos,
                        message: format!(
                            "unknown entity &{};",
                            String::from_utf8_lossy(r.as_ref())
                        ),
                    });
                };
                push_text(&mut stack, ch.encode_utf8(&mut [0; 4]), pos)?;
            }
            Event::Comment(c) => {
                let s = c.decode().map_err(decode_err)?;
                comments.push((pos, s.into_owned()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError {
            pos: open.pos,
            message: format!("element <{}> is never closed", open.name),
        });
    }
    let root = root.ok_or(XmlError {
        pos: 0,
        message: "no root element".into(),
    })?;
    Ok(Doc { root, comments })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::Lines;

    #[test]
    fn builds_a_tree_with_positions() {
        let src = "<?xml version=\"1.0\"?>\n<!-- c1 -->\n<a xmlns=\"urn:x\" xml:lang=\"kk\">\n  <b k=\"v&amp;w\">t &amp; <![CDATA[<p>x</p>]]>&#1179;</b>\n  <c/>\n</a>\n";
        let doc = parse(src).unwrap();
        let lines = Lines::new(src);
        assert_eq!(doc.root.name, "a");
        assert_eq!(doc.root.attr("xml:lang"), Some("kk"));
        assert_eq!(lines.line(doc.root.pos), 3);
        let b = doc.root.child("b").unwrap();
        assert_eq!(lines.line(b.pos), 4);
        assert_eq!(b.attr("k"), Some("v&w"));
        assert_eq!(b.text(), "t & <p>x</p>қ");
        assert_eq!(lines.line(doc.root.child("c").unwrap().pos), 5);
        assert_eq!(doc.comments, [(22, " c1 ".to_string())]);
    }

    #[test]
    fn namespace_prefixes_are_dropped_from_names() {
        let doc = parse("<q:item xmlns:q=\"urn:q\"><q:body/></q:item>").unwrap();
        assert_eq!(doc.root.name, "item");
        assert!(doc.root.child("body").is_some());
    }

    #[test]
    fn errors_have_positions() {
        let src = "<a>\n<b>\n</c>\n</a>";
        let e = parse(src).unwrap_err();
        assert_eq!(Lines::new(src).line(e.pos), 3, "{}", e.message);
        let src = "<a>\n<b>\n";
        let e = parse(src).unwrap_err();
        assert_eq!(Lines::new(src).line(e.pos), 2, "{}", e.message);
        let src = "<a>&bogus;</a>";
        assert!(parse(src).unwrap_err().message.contains("bogus"));
        assert!(parse("").is_err());
    }
}
