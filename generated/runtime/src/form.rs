//! Form request bodies: `application/x-www-form-urlencoded` (fields percent-encoded as in a
//! query string) and `multipart/form-data` (text fields and file parts), encoded when the request
//! is prepared so that optional fields can still be added by builder methods.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::params::encode_query_value;

/// How a form is sent.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormEncoding {
    /// `application/x-www-form-urlencoded`.
    UrlEncoded,
    /// `multipart/form-data`.
    Multipart,
}

/// One field of a form, in the order it was added.
#[derive(Debug)]
enum Part {
    Text(&'static str, String),
    /// A file part: its bytes, sent with the field name as its file name.
    File(&'static str, Vec<u8>),
}

/// A form being built.
#[derive(Debug)]
pub(crate) struct Form {
    encoding: FormEncoding,
    parts: Vec<Part>,
}

impl Form {
    pub(crate) fn new(encoding: FormEncoding) -> Self {
        Form { encoding, parts: Vec::new() }
    }

    pub(crate) fn text(&mut self, name: &'static str, value: String) {
        self.parts.push(Part::Text(name, value));
    }

    pub(crate) fn file(&mut self, name: &'static str, bytes: Vec<u8>) {
        self.parts.push(Part::File(name, bytes));
    }

    /// The body and its content type.
    pub(crate) fn encode(self) -> (Vec<u8>, String) {
        match self.encoding {
            FormEncoding::UrlEncoded => {
                (self.url_encoded().into_bytes(), "application/x-www-form-urlencoded".to_string())
            }
            FormEncoding::Multipart => {
                let boundary = boundary(&self.parts);
                (self.multipart(&boundary), format!("multipart/form-data; boundary={boundary}"))
            }
        }
    }

    fn url_encoded(&self) -> String {
        let pairs = self.parts.iter().map(|part| match part {
            Part::Text(name, value) => format!("{}={}", encode_query_value(name), encode_query_value(value)),
            Part::File(name, bytes) => {
                format!("{}={}", encode_query_value(name), encode_query_value(&String::from_utf8_lossy(bytes)))
            }
        });
        pairs.collect::<Vec<_>>().join("&")
    }

    fn multipart(&self, boundary: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match part {
                Part::Text(name, value) => {
                    out.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{}\"\r\n\r\n", quoted(name)).as_bytes(),
                    );
                    out.extend_from_slice(value.as_bytes());
                }
                Part::File(name, bytes) => {
                    let name = quoted(name);
                    out.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\
                             Content-Type: application/octet-stream\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    out.extend_from_slice(bytes);
                }
            }
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }
}

/// A field name inside a quoted header parameter (quotes and line breaks escaped as browsers do).
fn quoted(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// A boundary that occurs in no part.
fn boundary(parts: &[Part]) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let candidate = format!("iot-rest-boundary-{seed:016x}{n:08x}");
        let occurs = parts.iter().any(|part| {
            let bytes = match part {
                Part::Text(_, v) => v.as_bytes(),
                Part::File(_, b) => b.as_slice(),
            };
            bytes.windows(candidate.len()).any(|w| w == candidate.as_bytes())
        });
        if !occurs {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoded_fields_are_percent_encoded_in_order() {
        let mut form = Form::new(FormEncoding::UrlEncoded);
        form.text("pet_type", "dog".into());
        form.text("name", "Fido & co=1".into());
        let (body, content_type) = form.encode();
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        assert_eq!(String::from_utf8(body).unwrap(), "pet_type=dog&name=Fido%20%26%20co%3D1");
    }

    #[test]
    fn multipart_parts_are_delimited_by_the_boundary() {
        let mut form = Form::new(FormEncoding::Multipart);
        form.file("files", b"\x00bytes\r\n".to_vec());
        form.text("fileName", "my.txt".into());
        let (body, content_type) = form.encode();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"files\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n\x00bytes\r\n\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\nmy.txt\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }

    #[test]
    fn the_boundary_never_occurs_in_a_part() {
        let parts = [Part::Text("a", "iot-rest-boundary-".repeat(3))];
        let b = boundary(&parts);
        assert!(!parts.iter().any(|p| matches!(p, Part::Text(_, v) if v.contains(&b))));
    }
}
