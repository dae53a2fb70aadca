"""A fee saved in /admin is in the bot's next answer: the fee action, run on the same knowledge base before and
after the save, with no retraining and no restart (the action server's handle on the knowledge base)."""
from __future__ import annotations

import inspect
import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.kb import KnowledgeBase, use_knowledge_base
from actions.procedure_answers import ActionAnswerFee

from .conftest import sign_in, token_in, version_in

ROOT = Path(__file__).resolve().parents[4]
CODE = "1.001193"


@pytest.fixture
def knowledge_base(admin_settings):
    kb = KnowledgeBase(replace(admin_settings, index_refresh_seconds=0))
    previous = use_knowledge_base(kb)
    yield kb
    use_knowledge_base(previous)
    kb.dispose()


async def fee_answer() -> str:
    state = json.loads((ROOT / "tests" / "data" / "trackers" / "passport_fee_followup.json").read_text("utf-8"))
    state["slots"]["procedure_code"] = CODE
    dispatcher = CollectingDispatcher()
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    result = ActionAnswerFee().run(dispatcher, Tracker.from_dict(state), domain)
    if inspect.isawaitable(result):
        await result
    return json.dumps(dispatcher.messages, ensure_ascii=False)


async def test_a_saved_fee_changes_the_next_answer(admin_client, knowledge_base):
    assert "45.000" not in await fee_answer()
    await sign_in(admin_client, "an.editor")
    html = await (await admin_client.get(f"/admin/procedures/{CODE}")).text()
    form = {"csrf_token": token_in(html), "version": version_in(html), "aliases": "khai sinh"}
    for i in range(3):
        form.update({f"channel-{i}-time_value": "1", f"channel-{i}-time_unit": "Ngày làm việc",
                     f"channel-{i}-fee_amount": "45000", f"channel-{i}-fee_unit": "Đồng",
                     f"channel-{i}-fees": '[{"amount": 45000, "unit": "Đồng", "per": "lần"}]'})
    response = await admin_client.post(f"/admin/procedures/{CODE}", data=form, allow_redirects=False)
    assert response.status == 302
    assert "45.000" in await fee_answer()
