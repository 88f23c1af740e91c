"""Uploading versions: checked by content, split into articles, or refused with nothing kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anping.errors import DomainError, NotAllowed
from legislation import services
from legislation.models import Article, Version

from .drafts import CHAPTERED, plain_draft, upload


def test_a_version_is_split_into_its_articles(project, city_staff):
    version = services.version_upload(
        project=project, kind="first", file=upload(CHAPTERED), by=city_staff
    )
    assert version.number == 1 and version.title == "安阳市城市消防条例（草案）"
    articles = list(version.articles.all())
    assert [a.label for a in articles] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    assert articles[2].section == "第一节　单位责任"
    assert [i["label"] for i in articles[2].parts[0]["items"]] == ["（一）", "（二）", "（三）"]
    second = services.version_upload(
        project=project, kind="second", file=upload(plain_draft(3)), by=city_staff
    )
    assert second.number == 2


def test_no_article_numbering_is_refused_and_nothing_kept(project, city_staff):
    with pytest.raises(DomainError) as exc:
        services.version_upload(
            project=project,
            kind="first",
            file=upload(["安阳市某条例", "一、总则", "为了加强管理。"]),
            by=city_staff,
        )
    assert "第一条" in exc.value.message
    assert not Version.objects.exists() and not Article.objects.exists()


def test_a_renamed_file_is_refused(project, city_staff):
    fake = SimpleUploadedFile(
        "草案.docx", "第一条　这其实是纯文本。".encode(), "application/msword"
    )
    with pytest.raises(DomainError) as exc:
        services.version_upload(project=project, kind="first", file=fake, by=city_staff)
    assert "Word" in exc.value.message
    assert not Version.objects.exists()


@pytest.mark.parametrize("who", ["other_staff", "deputy_user", "outsider"])
def test_only_staff_of_the_region_upload(request, project, who):
    with pytest.raises(NotAllowed):
        services.version_upload(
            project=project,
            kind="first",
            file=upload(plain_draft(3)),
            by=request.getfixturevalue(who),
        )
    assert not Version.objects.exists()
