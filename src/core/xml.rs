//! XML error documents: S3 and the other REST-XML services (`<Error><Code>…`), the AWS query
//! protocol (`<ErrorResponse><Error>…</Error><RequestId>`), EC2 (`<Response><Errors>…`), Azure
//! Storage. No XML parser: the few elements an error needs are found by name.

use crate::prelude::*;

use super::body::BodyFacts;
use super::text::{before, contains, contains_ci, element_text, excerpt, find_ci, markup_summary, split_at_byte, tidy, MAX_TEXT_READ_BYTES};

/// Whether a text body is an XML document rather than a page or plain text.
pub fn looks_like_xml(text: &str, content_type: &str) -> bool {
    let head = super::text::trim_start(text);
    contains_ci(content_type, "xml") || head.starts_with("<?xml") || head.starts_with("<Error")
}

/// Fills in the code, message and request id of an XML error document; a document without them
/// still gives its first line of text as the message.
pub fn read_xml<N>(text: &str, facts: &mut BodyFacts<N>) {
    let text = excerpt(text, MAX_TEXT_READ_BYTES);
    // Azure Storage appends "RequestId:…" and "Time:…" lines to its message: keep the first.
    let element = |tag: &str| element_text(text, tag).and_then(markup_summary);
    // QuickBooks: `<Error code="2500" element="…">`.
    facts.code = element("code").filter(|c| !contains(c, " ")).or_else(|| error_code_attribute(text));
    facts.message = element("message").or_else(|| markup_summary(text));
    facts.request_id = element("requestid").map(|id| tidy(&id, 200));
}

/// The `code="…"` attribute of the first `<Error …>` tag.
fn error_code_attribute(text: &str) -> Option<String> {
    // The tag from the space after its name.
    let (tag, _) = split_at_byte(text.get(find_ci(text, "<error ")? + 6..)?, b'>')?;
    let value = tag.get(find_ci(tag, " code=\"")? + 7..)?;
    let code = before(value, "\"").trim();
    (!code.is_empty() && !contains(code, " ")).then(|| code.to_string())
}
