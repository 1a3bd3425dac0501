#![cfg(not(target_arch = "wasm32"))]
//! Every fixture (each seed's examples and the other dialects) through the core on the host.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

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

#[test]
fn the_real_world_corpus_normalizes_as_expected() {
    let (problems, cases) = fixtures::check_realworld(&parse_with_serde_json);
    assert!(cases >= 150, "{cases} cases");
    assert!(problems.is_empty(), "{} mismatches in {cases} cases:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_real_world_corpus_is_sourced_and_broad() {
    let mut apis: Vec<String> = Vec::new();
    let (mut cases, mut verbatim) = (0, 0);
    for (file, text) in fixtures::REALWORLD {
        let table = parse_with_serde_json(text).unwrap_or_else(|| panic!("{file} parses"));
        for case in table.as_array().unwrap() {
            let name = case.get("name").and_then(Json::as_text).unwrap_or("?");
            assert!(case.get("source").and_then(Json::as_text).is_some_and(|s| s.len() > 8), "{name}: no source");
            let expect = case.get("expect").unwrap_or_else(|| panic!("{name}: no expect"));
            for key in fixtures::PINNED {
                assert!(expect.get(key).is_some(), "{name}: does not pin {key}");
            }
            cases += 1;
            verbatim += usize::from(case.get("verbatim") == Some(&Json::Bool(true)));
            let api = case.get("api").and_then(Json::as_text).unwrap_or_else(|| panic!("{name}: no api")).to_string();
            if !apis.contains(&api) {
                apis.push(api);
            }
        }
    }
    assert!(cases >= 150 && verbatim >= 100 && apis.len() >= 40, "{cases} cases, {verbatim} verbatim, {} APIs", apis.len());
    println!("real-world corpus: {cases} cases, {verbatim} verbatim, {} APIs", apis.len());
}
