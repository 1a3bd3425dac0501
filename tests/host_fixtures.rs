#![cfg(not(target_arch = "wasm32"))]
//! Every fixture (each seed's examples and the other dialects) through the core on the host.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // tests may panic

#[path = "common/fixtures.rs"]
mod fixtures;

use steadfetch::core::error::{normalize_text, success_body_is_error, Normalized};
use steadfetch::core::headers::default_request_id_headers;
use steadfetch::core::json::{Json, JsonDoc};

fn parse_with_serde_json(text: &str) -> Option<Json> {
    Json::read(&mut serde_json::Deserializer::from_str(text)).ok()
}

fn normalize_on_host(status: u16, headers: &[(String, String)], body: &str, now: f64) -> Normalized<Json> {
    normalize_text(status, headers, body, &parse_with_serde_json, now, &default_request_id_headers())
}

fn host_success_is_error(body: &str) -> bool {
    parse_with_serde_json(body).is_some_and(|json| success_body_is_error(&JsonDoc(&json)))
}

const HOST: fixtures::Platform = fixtures::Platform {
    parse: &parse_with_serde_json,
    normalize: &normalize_on_host,
    success_is_error: &host_success_is_error,
};

#[test]
fn every_fixture_normalizes_as_expected() {
    let table = parse_with_serde_json(fixtures::FIXTURES).expect("fixtures parse");
    let items = table.as_array().expect("fixtures are a list");
    assert_eq!(items.len(), fixtures::fixture_count(), "every fixture was read");
    assert!(items.len() >= 140);
    let problems: Vec<String> = items.iter().flat_map(|f| fixtures::check_fixture(f, &HOST)).collect();
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
    let (problems, cases) = fixtures::check_realworld(&HOST);
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
