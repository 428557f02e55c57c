import json

import jsonschema

from pipeline.ingest import iter_documents
from pipeline.write import load_schema, to_json_line


def test_sample_output_is_valid_against_the_schema(sample_record):
    jsonschema.validate(sample_record, load_schema())


def test_jsonl_input_output_is_valid_and_round_trips(extractor, tmp_path):
    path = tmp_path / "one.jsonl"
    record = {
        "id": "n1",
        "url": "https://example.com/a",
        "date": "2025-03-04",
        "text": "美國總統川普今天會見南韓總統李在明。",
    }
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (document,) = iter_documents([path])
    output = extractor(document)
    jsonschema.validate(output, load_schema())
    assert json.loads(to_json_line(output)) == output
    assert output["url"] == "https://example.com/a"


def test_schema_rejects_a_mention_without_offsets(sample_record):
    broken = json.loads(json.dumps(sample_record))
    del broken["entities"][0]["mentions"][0]["start"]
    try:
        jsonschema.validate(broken, load_schema())
    except jsonschema.ValidationError as error:
        assert "start" in error.message
    else:
        raise AssertionError("the schema accepted a mention without a start offset")
