"""Hand-made edge cases for cases.jsonl (see generate_cases.py).

Each is (event type, case name, base payload, {path: value}): the base is `oex sample TYPE --seed N`
(or `--minimal --seed N` for "minimal-N"); a path is dotted, a number selects a list item, and the
value DELETE removes the key.
"""
import copy

DELETE = object()

ENROLLMENT = "org.openedx.learning.course.enrollment.created.v1"
DISCUSSIONS = "org.openedx.learning.discussions.configuration.changed.v1"
GRADE = "org.openedx.learning.course.persistent_grade_summary.changed.v1"
REVOKED = "org.openedx.enterprise.learner_credit_course_enrollment.revoked.v1"
SKILLS = "org.openedx.learning.xblock.skill.verified.v1"
NOTIFICATION = "org.openedx.learning.course.notification.requested.v1"
ORA = "org.openedx.learning.ora.submission.created.v1"
XBLOCK = "org.openedx.content_authoring.xblock.created.v1"

ODD_KEYS = {"b": True, "B": False, "a": True, "Z": False, "_": True, "10": False, "9": True, "": False,
            "é": True, "ä": False, "\uff01": True, "\U0001F600": False, "a b": True, "A": True}

EDGE_CASES = [
    (ENROLLMENT, "edge-datetimes-z", 0, {
        "enrollment.creation_date": "2026-01-02T03:04:05Z",
        "enrollment.course.start": "2026-01-02T03:04:05.12Z",
        "enrollment.course.end": "2026-01-02T03:04:05.000000+00:00"}),
    (ENROLLMENT, "edge-datetimes-offsets", 1, {
        "enrollment.creation_date": "2026-07-01T23:59:59.999999+05:30",
        "enrollment.course.start": "2026-01-02 03:04:05-08:00",
        "enrollment.course.end": "2026-01-02T03:04:05"}),
    (ENROLLMENT, "edge-strings-ints", 2, {
        "enrollment.user.id": 9223372036854775807,
        "enrollment.created_by.id": -9223372036854775808,
        "enrollment.user.pii.name": "Zoë Ångström 学生 \U0001F600",
        "enrollment.user.pii.username": "tab\tnew\nline \"quoted\" back\\slash",
        "enrollment.mode": "",
        "enrollment.course.display_name": "\u00e9\u0301 e\u0301 \u2028 \u00ff"}),
    (ENROLLMENT, "edge-small-ints", 3, {
        "enrollment.user.id": 0,
        "enrollment.created_by.id": -1,
        "enrollment.course.start": DELETE,
        "enrollment.course.end": None}),
    # keys are written as str(key): "slashes:" course keys come out as "course-v1:"
    (ENROLLMENT, "edge-course-key-slashes-prefix", 0, {"enrollment.course.course_key": "slashes:edX+DemoX+2014"}),
    (ENROLLMENT, "edge-course-key-deprecated", 1, {"enrollment.course.course_key": "edX/DemoX/2014"}),
    (ENROLLMENT, "edge-course-key-ccx", 2, {"enrollment.course.course_key": "ccx-v1:edX+DemoX+2014+ccx@03"}),
    (XBLOCK, "edge-usage-key-spellings", 0, {"xblock_info.usage_key": "location:edX+DemoX+2014+problem+abc",
                                             "xblock_info.version": "i4x://edX/DemoX/problem/abc@draft"}),
    (XBLOCK, "edge-usage-key-branch", 1, {
        "xblock_info.usage_key": "block-v1:edX+DemoX+2014+branch@draft+type@problem+block@abc",
        "xblock_info.version": "ccx-block-v1:edX+DemoX+2014+ccx@3+type@problem+block@abc"}),
    (DISCUSSIONS, "edge-falsy-and-map-order", 0, {
        "configuration.enabled": False,
        "configuration.enable_in_context": False,
        "configuration.enable_graded_units": True,
        "configuration.unit_level_visibility": True,
        "configuration.plugin_configuration": ODD_KEYS,
        "configuration.contexts": []}),
    (DISCUSSIONS, "edge-empty-maps", 1, {
        "configuration.plugin_configuration": {},
        "configuration.contexts": [{"title": "", "context": {}},
                                   {"title": "t", "group_id": -9223372036854775808, "ordering": 0,
                                    "context": {k: "v" for k in ODD_KEYS}}]}),
    # absent plugin_configuration cannot be serialized upstream (its attrs default is the class
    # `dict`, not an empty dict: see upstream_failures.jsonl), so these give it explicitly
    (DISCUSSIONS, "edge-seed-1-with-plugins", 1, {"configuration.plugin_configuration": {"x": True}}),
    (DISCUSSIONS, "edge-seed-2-with-plugins", 2, {"configuration.plugin_configuration": {"y": False, "x": True}}),
    (DISCUSSIONS, "edge-minimal-with-plugins", "minimal-0", {"configuration.plugin_configuration": {}}),
    (GRADE, "edge-float-tenth", 0, {"grade.percent_grade": 0.1}),
    (GRADE, "edge-float-huge", 1, {"grade.percent_grade": 1e300}),
    (GRADE, "edge-float-negative-zero", 2, {"grade.percent_grade": -0.0}),
    (GRADE, "edge-float-subnormal", 3, {"grade.percent_grade": 5e-324}),
    (GRADE, "edge-float-max", 0, {"grade.percent_grade": 1.7976931348623157e308}),
    (GRADE, "edge-float-integral", 1, {"grade.percent_grade": 1}),
    (REVOKED, "edge-uuid-spellings", 0, {
        "learner_credit_course_enrollment.uuid": "AF8982E6-1270-494F-AB48-46877E56F635",
        "learner_credit_course_enrollment.enterprise_course_entitlement_uuid": "1521edaefb8e447aaf7ce6e8911f880e",
        "learner_credit_course_enrollment.enterprise_course_enrollment.enterprise_customer_user"
        ".enterprise_customer_uuid": "{bd384eb6-fc08-4544-ba22-b3fd4badaefe}"}),
    (REVOKED, "edge-uuid-urn", 1, {
        "learner_credit_course_enrollment.uuid": "urn:uuid:00000000-0000-0000-0000-000000000000",
        "learner_credit_course_enrollment.enterprise_course_entitlement_uuid": None}),
    (SKILLS, "edge-empty-lists", 0, {"xblock_info.verified_skills": [], "xblock_info.ignored_skills": []}),
    (SKILLS, "edge-absent-lists", 1, {"xblock_info.verified_skills": DELETE, "xblock_info.ignored_skills": DELETE}),
    (NOTIFICATION, "edge-map-of-lists", 0, {
        "course_notification_data.audience_filters": {"z": [], "a": ["x", "é"], "B": [""], "\U0001F600": ["1"]}}),
    (NOTIFICATION, "edge-empty-map", 1, {"course_notification_data.audience_filters": {}}),
    (ORA, "edge-list-of-maps", 0, {"submission.answer.parts": [{}, {"b": "2", "a": "1", "é": "3"}],
                                   "submission.answer.file_sizes": [0, -1, 9223372036854775807]}),
]


# more spellings that datetime.fromisoformat (Python 3.11) takes, each written as its isoformat();
# three at a time go into an enrollment's creation_date, course.start and course.end
DATETIME_SPELLINGS = [
    "2026-01-02T03:04:05-00:00", "2026-01-02T03:04:05+05:30:15", "2026-01-02T03:04",
    "2026-01-02", "2026-01-02T03:04:05,12Z", "20260102T030405Z",
    "2026-01-02T03:04:05.9999999Z", "2026-01-02T03:04:05+0530", "2026-W01-1T03:04:05",
    "2026-01-02T03Z", "0001-01-01T00:00:00", "9999-12-31T23:59:59.999999+00:00",
    "2026-01-02t03:04:05Z", "2026-01-02T03:04:05.5+01:00", "2026-01-02T03:04:05.000001Z",
    "2026-01-02x03:04:05", "2026-01-02T03:04:05.123+05:30:15.5", "2026-01-02T03:04:05 +01:00",
    "2026-01-02T030405", "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05+05",
]
for _i in range(0, len(DATETIME_SPELLINGS), 3):
    EDGE_CASES.append((ENROLLMENT, f"edge-datetimes-variants-{_i // 3 + 1}", _i % 4, dict(zip(
        ("enrollment.creation_date", "enrollment.course.start", "enrollment.course.end"),
        DATETIME_SPELLINGS[_i:_i + 3]))))


def edit(payload, changes):
    payload = copy.deepcopy(payload)
    for path, value in changes.items():
        parts = [int(p) if p.isdigit() else p for p in path.split(".")]
        node = payload
        for part in parts[:-1]:
            node = node[part]
        if value is DELETE:
            node.pop(parts[-1], None)
        else:
            node[parts[-1]] = value
    return payload
