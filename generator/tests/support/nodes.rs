//! The nodes of a JSON value, for tests that mutate documents at random.
//!
//! This file is shared: the generator's fuzz test and the `iot-rest-tests` model fuzz test include
//! it. It depends on `serde_json` only.

use serde_json::Value;

/// JSON pointers of every node of `value`, children before their parent (the root, `""`, last).
pub fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(value, String::new(), &mut out);
    out
}

fn collect(value: &Value, prefix: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                collect(v, format!("{prefix}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, format!("{prefix}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(prefix);
}
