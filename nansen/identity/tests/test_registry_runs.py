"""The registry runs as services, without the command around them."""

import pytest

from nansen.identity.models import DedupeRun
from nansen.identity.registry_runs import (
    RunRefused,
    identity_dedupe_open,
    identity_dedupe_run,
    identity_model_train,
    identity_pairs_score,
)


@pytest.mark.django_db
def test_it_resumes_the_unfinished_run_instead_of_opening_another(tmp_path):
    first = identity_dedupe_open(workdir=tmp_path / "run")
    assert identity_dedupe_open(resume=True) == first
    assert DedupeRun.objects.count() == 1


@pytest.mark.django_db
def test_it_opens_a_new_run_once_the_last_one_finished(tmp_path):
    first = identity_dedupe_run(run=identity_dedupe_open(workdir=tmp_path / "run"))
    assert first.stage == "done" and first.finished_at is not None
    assert identity_dedupe_open(resume=True, workdir=tmp_path / "next") != first


@pytest.mark.django_db
def test_it_refuses_a_file_of_pairs_without_its_columns(tmp_path):
    source = tmp_path / "pairs.csv"
    source.write_text("pair_id,a_name,b_name\n1,Ali,Ali\n", encoding="utf-8")
    with pytest.raises(RunRefused, match="missing columns: a_birth_date"):
        identity_pairs_score(source=source, target=tmp_path / "scores.csv")


@pytest.mark.django_db
def test_it_refuses_to_train_on_fewer_than_a_thousand_persons():
    with pytest.raises(RunRefused, match="too few persons"):
        identity_model_train()
