//! Unions on the wire: the `unions` golden (every `oneOf` / `anyOf` shape of its OpenAPI 3.0
//! fixture) decodes and encodes each variant, keeps unknown kinds where the document allows them,
//! and maps `null` members to `None`; the `polymorphism` golden sends and receives a subtype with
//! subtypes of its own polymorphically.

use iot_rest_tests::goldens::polymorphism::models::{Dog, DogUnion, Puppy};
use iot_rest_tests::goldens::unions::models::{
    Cat, Dog as UnionDog, Drawing, Label, LabelStyled, Pet, Scalar, Shape, ShapeCircle, ShapeCircleShape,
};
use iot_rest_tests::goldens::{polymorphism, unions};
use iot_rest_tests::runtime::{ClientOptions, Credential};
use serde_json::{json, Value};

use crate::server::*;

/// Options that send to the local server instead of the document's host.
fn endpoint(server: &Server) -> ClientOptions {
    ClientOptions::default().endpoint(server.base.clone())
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(value)
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

#[test]
fn a_mapped_discriminator_decodes_each_value_and_writes_the_variants_tag() {
    let cat = json!({ "petType": "cat", "name": "Tom" });
    let Pet::Cat(tom) = decode(cat.clone()).unwrap() else { panic!("not a cat") };
    assert_eq!(tom.name, "Tom");
    assert_eq!(encode(&Pet::Cat(tom.clone())), cat);
    // Two values map to `Cat`: each is kept, and sending writes the variant's value, not the field's.
    assert!(matches!(decode(json!({ "petType": "kitten", "name": "Kit" })).unwrap(), Pet::Kitten(_)));
    assert_eq!(encode(&Pet::Kitten(tom)), json!({ "petType": "kitten", "name": "Tom" }));
    let dog = Pet::from(UnionDog::new("anything", "Rex"));
    assert_eq!(encode(&dog), json!({ "petType": "dog", "name": "Rex" }));
    // The field holds what was received.
    assert_eq!(decode::<Pet>(encode(&dog)).unwrap(), Pet::Dog(UnionDog::new("dog", "Rex")));
}

#[test]
fn an_unknown_kind_is_kept_as_json_where_the_tag_is_an_open_string() {
    let bird = json!({ "petType": "bird", "wings": 2 });
    let pet: Pet = decode(bird.clone()).unwrap();
    assert_eq!(pet, Pet::Unknown(bird.clone()));
    assert_eq!(encode(&pet), bird, "sent back unchanged");
}

#[test]
fn an_inferred_tag_is_closed() {
    let circle = json!({ "shape": "circle", "radius": 1.5 });
    let Shape::Circle(c) = decode(circle.clone()).unwrap() else { panic!("not a circle") };
    assert_eq!(c, ShapeCircle::new(ShapeCircleShape::Circle, 1.5));
    assert_eq!(encode(&Shape::Circle(c)), circle);
    assert!(matches!(decode(json!({ "shape": "square", "side": 2.0 })).unwrap(), Shape::Square(_)));
    let unknown = decode::<Shape>(json!({ "shape": "hexagon" })).unwrap_err().to_string();
    assert!(unknown.contains("unknown variant `hexagon`"), "{unknown}");
    let missing = decode::<Shape>(json!({ "radius": 1.0 })).unwrap_err().to_string();
    assert!(missing.contains("missing field `shape`"), "{missing}");
}

#[test]
fn untagged_variants_are_tried_in_document_order() {
    let cases = [
        (json!(true), Scalar::Boolean(true)),
        (json!(3), Scalar::Integer(3)),
        (json!(3.5), Scalar::Number(3.5)),
        (json!("x"), Scalar::String("x".into())),
        (json!([1, "a", [false]]), Scalar::Array(vec![1.into(), Scalar::String("a".into()), Scalar::Array(vec![false.into()])])),
    ];
    for (wire, expected) in cases {
        assert_eq!(decode::<Scalar>(wire.clone()).unwrap(), expected, "for {wire}");
        assert_eq!(encode(&expected), wire);
    }
    let none = decode::<Scalar>(json!({ "a": 1 })).unwrap_err().to_string();
    assert!(none.contains("matches no variant of Scalar"), "{none}");
    assert_eq!(decode::<Label>(json!({ "text": "t" })).unwrap(), Label::Styled(LabelStyled::new("t")));
    assert_eq!(decode::<Label>(json!("t")).unwrap(), Label::String("t".into()));
    assert!(decode::<Label>(json!(3)).is_err());
}

#[test]
fn nested_untagged_unions_decode_in_time_linear_in_depth() {
    // Each level buffers the value once and tries its variants on it; a mismatch deep down costs
    // each level one failed attempt, not a retry of every combination above it.
    let mut wire = json!({ "not": "a scalar" });
    for _ in 0..100 {
        wire = json!([wire]);
    }
    let started = std::time::Instant::now();
    assert!(decode::<Scalar>(wire).is_err());
    let mut deep = json!("leaf");
    for _ in 0..100 {
        deep = json!([deep]);
    }
    assert!(matches!(decode::<Scalar>(deep).unwrap(), Scalar::Array(_)));
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[test]
fn null_members_make_values_optional() {
    let wire = json!({ "shapes": [], "owner": null, "note": null, "values": { "n": 1, "s": "x" }, "label": "plain" });
    let drawing: Drawing = decode(wire.clone()).unwrap();
    assert_eq!((drawing.owner.clone(), drawing.note.clone()), (None, None));
    assert_eq!(drawing.label, Some(Label::String("plain".into())));
    assert_eq!(encode(&drawing), wire, "required nullable members are sent as null");
    let owned: Drawing = decode(json!({ "shapes": [], "owner": { "petType": "cat", "name": "Tom" }, "note": "n" })).unwrap();
    assert!(matches!(owned.owner, Some(Pet::Cat(Cat { .. }))));
}

#[tokio::test]
async fn a_union_body_is_sent_with_its_tag_and_the_response_decoded() {
    let server = Server::start(|_, seen| reply(201, seen.json())).await;
    let client = unions::Client::with_options(Credential::none(), endpoint(&server)).expect("client");
    let sent = Pet::Kitten(Cat::new("cat", "Kit"));
    let back = client.pets().add(&sent).await.expect("201");
    assert_eq!(server.seen()[0].json(), json!({ "petType": "kitten", "name": "Kit" }));
    assert_eq!(back, Pet::Kitten(Cat::new("kitten", "Kit")), "the field holds the value received");
}

#[tokio::test]
async fn a_subtype_with_subtypes_is_a_polymorphic_body_and_response() {
    let server = Server::start(|_, seen| reply(200, seen.json())).await;
    let client = polymorphism::Client::with_options(Credential::none(), endpoint(&server)).expect("client");
    let puppy = DogUnion::from(Puppy::new("Bit", 8));
    let back = client.dogs().replace("d1", &puppy).await.expect("200");
    assert_eq!(server.seen()[0].json(), json!({ "kind": "dog.puppy", "name": "Bit", "ageWeeks": 8 }));
    assert_eq!(back, puppy, "a puppy comes back as a puppy, not as a dog");
    let dog = DogUnion::from(Dog::new("Rex"));
    assert!(matches!(client.dogs().replace("d2", &dog).await.expect("200"), DogUnion::Dog(_)));
    assert_eq!(server.seen()[1].json(), json!({ "kind": "dog", "name": "Rex" }));
}
