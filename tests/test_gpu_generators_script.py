"""scripts/gpu_generators.py: its stages are real ``jpegaf train gan`` commands, and the shipped
``antiforensic-d10`` cards (and the logged configs of the stages before) are what they produce."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from jpegaf.cli import build_parser, gan_config
from jpegaf.pretrained import PRETRAINED_DIR
from jpegaf.train import GanTrainConfig

REPO = Path(__file__).resolve().parent.parent
LOGS = REPO / "results" / "antiforensic" / "gpu-d10" / "gpu2"
# Where the run was, not what it was: paths, the crop cache and the loader's worker count.
WHERE = ("init_generator", "init_discriminator", "cache_dir", "num_workers")


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("gpu_generators")


def _config(script, stage: str, q: int, tmp_path: Path, epochs: int = 10) -> dict:
    args = SimpleNamespace(device="cuda", workers=4, cache_dir=str(tmp_path / "cache"))
    cmd = script.stage_command(stage, q, "data/corpus", tmp_path / "runs", args, epochs)
    assert cmd[1:5] == ["-m", "jpegaf.cli", "train", "gan"]
    parsed = build_parser().parse_args(cmd[3:])
    assert parsed.device == "cuda" and parsed.data == "data/corpus"
    return gan_config(parsed).to_dict()


def _without_where(config: dict) -> dict:
    """The configuration as today's code reads it (a config saved before a field existed gets that
    field's default), as JSON stores it (tuples as lists), less where the run was."""
    config = GanTrainConfig.from_dict(json.loads(json.dumps(config))).to_dict()
    return {k: v for k, v in json.loads(json.dumps(config)).items() if k not in WHERE}


@pytest.mark.parametrize("q", [25, 50, 75])
def test_the_shipped_d10_generators_are_stage_b_of_the_script(script, tmp_path, q):
    card = json.loads((PRETRAINED_DIR / f"antiforensic-d10-q{q}.json").read_text())
    config = _config(script, "b", q, tmp_path)
    assert _without_where(config) == _without_where(card["train_config"])
    assert config["gamma"] == 1e-3 and config["generator_loss"] == "non_saturating"
    assert config["phase1_epochs"] == 0 and config["phase2_epochs"] == 1
    assert Path(config["init_discriminator"]).name == f"critic-64-q{q}.safetensors"
    # b started from a: 10 epochs of 446 steps on the corpus's train part.
    assert card["initialised_from"]["steps"] == 4460 and card["data"]["train_images"] == 446
    assert card["discriminator_initialised_from"]["name"] == f"CNN-64-q{q}"


@pytest.mark.parametrize("q", [25, 50, 75])
def test_the_logged_l1_stages_are_the_scripts(script, tmp_path, q):
    for stage in ("a0", "a"):
        logged = json.loads((LOGS / f"q{q}" / stage / "config.json").read_text())
        assert _without_where(_config(script, stage, q, tmp_path)) == _without_where(logged)
    a = _config(script, "a", q, tmp_path)
    assert (a["phase1_epochs"], a["phase1_lr"], a["phase1_lr_end"]) == (10, 3e-4, 2e-6)
    assert Path(_config(script, "a0", q, tmp_path)["init_generator"]).name == f"generator-q{q}.safetensors"


def test_an_unknown_stage_is_refused(script, tmp_path):
    with pytest.raises(ValueError, match="no stage"):
        script.stage_command("c", 50, "data/corpus", tmp_path, SimpleNamespace(device="cpu", workers=0, cache_dir="x"))
