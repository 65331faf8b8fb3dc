//! Which members of an example body a Swagger 2.0 document does not declare.
//!
//! Generated models keep members they do not know in their `additional_properties` map, so an
//! example member whose property a model lost would still round-trip unchanged. This walk finds
//! such members from the document itself: every object member of an example must be a property of
//! its schema (with `allOf` parents and the subtype its discriminator value selects), or be allowed
//! by `additionalProperties`, or sit in a free-form object (`type: object` declaring nothing).

use serde_json::{Map, Value};

/// The schema of an operation part in `doc`: the body parameter named `part`, or the response with
/// status `part`.
pub fn part_schema<'d>(doc: &'d Value, operation_id: &str, part: &str) -> Option<&'d Value> {
    let paths = doc.get("paths")?.as_object()?;
    let op = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some(operation_id))?;
    if let Some(schema) = op.pointer(&format!("/responses/{part}/schema")) {
        return Some(schema);
    }
    op.get("parameters")?.as_array()?.iter().map(|p| resolve(doc, p)).find_map(|p| {
        let body = p.get("in").and_then(Value::as_str) == Some("body");
        (body && p.get("name").and_then(Value::as_str) == Some(part)).then(|| p.get("schema")).flatten()
    })
}

/// JSON pointers (below `pointer`) of the members of `value` that `schema` does not declare.
pub fn undeclared_members(doc: &Value, schema: &Value, value: &Value, pointer: &str) -> Vec<String> {
    let mut out = Vec::new();
    walk(doc, schema, value, pointer, &mut out);
    out
}

fn walk(doc: &Value, schema: &Value, value: &Value, pointer: &str, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    match value {
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    walk(doc, item_schema, item, &format!("{pointer}/{i}"), out);
                }
            }
        }
        Value::Object(members) => {
            let schema = subtype(doc, schema, members).unwrap_or(schema);
            let mut properties = Map::new();
            let mut additional = None;
            collect(doc, schema, &mut properties, &mut additional);
            let free_form = properties.is_empty() && additional.is_none();
            for (name, member) in members {
                let at = format!("{pointer}/{name}");
                match (properties.get(name), additional) {
                    (Some(property), _) => walk(doc, property, member, &at, out),
                    (None, Some(Value::Bool(true))) => {}
                    (None, Some(extra @ Value::Object(_))) => walk(doc, extra, member, &at, out),
                    (None, _) if free_form => {}
                    (None, _) => out.push(at),
                }
            }
        }
        _ => {}
    }
}

/// The properties and `additionalProperties` of `schema` and its `allOf` parents.
fn collect<'d>(
    doc: &'d Value,
    schema: &'d Value,
    properties: &mut Map<String, Value>,
    additional: &mut Option<&'d Value>,
) {
    let schema = resolve(doc, schema);
    for parent in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        collect(doc, parent, properties, additional);
    }
    if let Some(own) = schema.get("properties").and_then(Value::as_object) {
        properties.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if let Some(extra) = schema.get("additionalProperties") {
        *additional = Some(extra);
    }
}

/// The definition a discriminated object is an instance of: a definition that has `schema` among its
/// `allOf` ancestors and whose discriminator value (`x-ms-discriminator-value`, else its name) is the
/// object's.
fn subtype<'d>(doc: &'d Value, schema: &'d Value, members: &Map<String, Value>) -> Option<&'d Value> {
    let (base, property) = discriminator(doc, schema)?;
    let wanted = members.get(property)?.as_str()?;
    let definitions = doc.get("definitions")?.as_object()?;
    definitions.iter().find_map(|(name, def)| {
        let value = def.get("x-ms-discriminator-value").and_then(Value::as_str).unwrap_or(name);
        (value == wanted && name != base && descends_from(doc, def, base)).then_some(def)
    })
}

/// The definition name and discriminator property of `schema` or its nearest `allOf` ancestor that has one.
fn discriminator<'d>(doc: &'d Value, schema: &'d Value) -> Option<(&'d str, &'d str)> {
    let definitions = doc.get("definitions")?.as_object()?;
    let name = definitions.iter().find(|(_, def)| std::ptr::eq(*def, schema)).map(|(name, _)| name.as_str());
    if let (Some(name), Some(property)) = (name, schema.get("discriminator").and_then(Value::as_str)) {
        return Some((name, property));
    }
    let parents = schema.get("allOf").and_then(Value::as_array)?;
    parents.iter().find_map(|parent| discriminator(doc, resolve(doc, parent)))
}

fn descends_from(doc: &Value, def: &Value, base: &str) -> bool {
    let target = format!("#/definitions/{base}");
    def.get("allOf").and_then(Value::as_array).into_iter().flatten().any(|parent| {
        parent.get("$ref").and_then(Value::as_str) == Some(target.as_str())
            || descends_from(doc, resolve(doc, parent), base)
    })
}

/// Follows local `$ref`s (`#/definitions/X`, `#/parameters/X`).
fn resolve<'d>(doc: &'d Value, schema: &'d Value) -> &'d Value {
    match schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => doc.pointer(pointer).map(|target| resolve(doc, target)).unwrap_or(schema),
        None => schema,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "paths": {"/pets/{id}": {"put": {
                "operationId": "Pets_Create",
                "parameters": [{"$ref": "#/parameters/Body"}],
                "responses": {"200": {"schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}}}
            }}},
            "parameters": {"Body": {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}},
            "definitions": {
                "Named": {"properties": {"name": {"type": "string"}}},
                "Pet": {"discriminator": "kind", "allOf": [{"$ref": "#/definitions/Named"}],
                        "properties": {"kind": {"type": "string"}, "tags": {"additionalProperties": {"$ref": "#/definitions/Named"}},
                                       "extra": {"type": "object"}}},
                "Dog": {"x-ms-discriminator-value": "dog", "allOf": [{"$ref": "#/definitions/Pet"}],
                        "properties": {"barks": {"type": "boolean"}}}
            }
        })
    }

    #[test]
    fn members_of_parents_subtypes_maps_and_free_form_objects_are_declared() {
        let doc = doc();
        let schema = part_schema(&doc, "Pets_Create", "body").expect("body schema");
        let pet =
            json!({"kind": "dog", "name": "Rex", "barks": true, "tags": {"a": {"name": "x"}}, "extra": {"any": 1}});
        assert_eq!(undeclared_members(&doc, schema, &pet, ""), Vec::<String>::new());
    }

    #[test]
    fn unknown_members_are_reported_where_they_are() {
        let doc = doc();
        let list = part_schema(&doc, "Pets_Create", "200").expect("response schema");
        let pets =
            json!([{"kind": "cat", "name": "Tom", "barks": false}, {"kind": "dog", "tags": {"a": {"nam": "x"}}}]);
        assert_eq!(undeclared_members(&doc, list, &pets, ""), ["/0/barks", "/1/tags/a/nam"]);
    }
}
