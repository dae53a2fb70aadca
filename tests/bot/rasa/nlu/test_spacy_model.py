import spacy

from bot.rasa.nlu.spacy_model import main, save_blank_vietnamese


def test_saved_pipeline_loads_and_joins_vietnamese_words(tmp_path):
    directory = save_blank_vietnamese(tmp_path / "spacy_vi")

    nlp = spacy.load(directory)

    assert nlp.lang == "vi"
    assert [t.text for t in nlp("cấp lại căn cước công dân")] == ["cấp", "lại", "căn cước", "công dân"]


def test_command_line_writes_the_directory(tmp_path, capsys):
    main([str(tmp_path / "model")])

    assert (tmp_path / "model" / "config.cfg").is_file()
    assert str(tmp_path / "model") in capsys.readouterr().out
