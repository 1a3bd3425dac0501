#![cfg(not(target_arch = "wasm32"))]
//! Every fixture (each seed's examples and the other dialects) through the core on the host.

#[path = "common/fixtures.rs"]
mod fixtures;

use steadfetch::core::json::Json;

fn parse_with_serde_json(text: &str) -> Option<Json> {
    Json::read(&mut serde_json::Deserializer::from_str(text)).ok()
}

#[test]
fn every_fixture_normalizes_as_expected() {
    let table = parse_with_serde_json(fixtures::FIXTURES).expect("fixtures parse");
    let items = table.as_array().expect("fixtures are a list");
    assert_eq!(items.len(), fixtures::fixture_count(), "every fixture was read");
    assert!(items.len() >= 140);
    let problems: Vec<String> = items.iter().flat_map(|f| fixtures::check_fixture(f, &parse_with_serde_json)).collect();
    assert!(problems.is_empty(), "{} mismatches:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_seed_has_fixtures() {
    let table = parse_with_serde_json(fixtures::FIXTURES).unwrap();
    for seed in ["000", "001", "002", "003", "004"] {
        let n = table.as_array().unwrap().iter().filter(|f| f.get("seed").and_then(Json::as_text) == Some(seed)).count();
        assert!(n >= 4, "seed {seed} has {n} fixtures");
    }
}
