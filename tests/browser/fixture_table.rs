//! The same fixture tables as the host, parsed by the page's `JSON.parse` and walked into the
//! core's `Json` as the shell does: identical results prove the wasm build needs no serde_json.

use super::fixtures;
use steadfetch::core::json::Json;
use steadfetch::web::response::to_json;
use wasm_bindgen_test::*;

fn parse_in_browser(text: &str) -> Option<Json> {
    js_sys::JSON::parse(text).ok().map(|v| to_json(&v))
}

#[wasm_bindgen_test]
fn fixture_table_matches_in_the_browser() {
    let table = parse_in_browser(fixtures::FIXTURES).expect("fixtures parse");
    let items = table.as_array().expect("a list");
    assert_eq!(items.len(), fixtures::fixture_count());
    let problems: Vec<String> = items.iter().flat_map(|f| fixtures::check_fixture(f, &parse_in_browser)).collect();
    assert!(problems.is_empty(), "{} mismatches:\n{}", problems.len(), problems.join("\n"));
    web_sys::console::log_1(&format!("browser fixture table: {} fixtures matched", items.len()).into());
}

#[wasm_bindgen_test]
fn real_world_corpus_matches_in_the_browser() {
    let (problems, cases) = fixtures::check_realworld(&parse_in_browser);
    assert!(cases >= 150, "{cases} cases");
    assert!(problems.is_empty(), "{} mismatches in {cases} cases:\n{}", problems.len(), problems.join("\n"));
    web_sys::console::log_1(&format!("browser real-world corpus: {cases} cases matched").into());
}
