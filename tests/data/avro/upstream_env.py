"""Load the real upstream Python code (openedx-events 11.2.0 and the libraries it imports) from git mirrors.

Used by generate_cases.py and tests/bench/avro_upstream_rate.py; not run in CI.

Pinned upstream versions (the ones the reference data was made with):
  openedx-events  11.2.0  tag v11.2.0  b1d710af9f8b55e4c72c8540a8febc327d472e41
                  (11.2.0 is also what commit 741277fa reports; it differs from v11.2.0 only in
                  requirements/ and CI files)
  fastavro        1.12.2  tag 1.12.2   a937166d5bf217a8005f1047c817ced7794f231c
                  (pure-Python modules _write_py/_read_py: nothing is compiled)
  edx-opaque-keys 4.0.0   tag 4.0.0    ae7f1353d84b4e82bcf395347d76c567821ddefd
  edx-ccx-keys    2.0.2   tag 2.0.2    c3fe0b8c7b879cec87cb3942203435116bb53eee
From Debian 12: python3 3.11, python3-django (3.2), python3-attr, python3-stevedore, python3-bson,
python3-typing-extensions:
    apt-get install -y python3-django python3-attr python3-stevedore python3-bson python3-typing-extensions

The mirrors: one bare git repository (a clone with --bare or --mirror) per upstream project, found as
MIRRORS/<owner>+<name>/repo (the layout the project's search tools' `fetch github:<owner>/<name>`
leaves under /work/.mirror), for openedx/openedx-events, openedx/opaque-keys, openedx/ccx-keys and
fastavro/fastavro.  Each pinned commit is extracted with `git archive` into a temporary folder;
nothing of upstream is written into this repository.

edx-django-utils (openedx_events.tooling imports its RequestCache) is replaced by an empty stand-in:
nothing used here touches it.  opaque-keys and ccx-keys find their key classes through entry points;
they are declared from the `entry_points` argument of each project's own setup.py, read from the
extracted tree.
"""
import ast
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

PINS = [
    # (mirror folder, commit, distribution name, version, packages)
    ("openedx+openedx-events", "b1d710af9f8b55e4c72c8540a8febc327d472e41", "openedx-events", "11.2.0"),
    ("fastavro+fastavro", "a937166d5bf217a8005f1047c817ced7794f231c", "fastavro", "1.12.2"),
    ("openedx+opaque-keys", "ae7f1353d84b4e82bcf395347d76c567821ddefd", "edx-opaque-keys", "4.0.0"),
    ("openedx+ccx-keys", "c3fe0b8c7b879cec87cb3942203435116bb53eee", "edx-ccx-keys", "2.0.2"),
]

DEFAULT_MIRRORS = "/work/.mirror"

_STANDIN_CACHE = '''"""Empty stand-in for edx_django_utils.cache (not used by the code paths exercised here)."""


class RequestCache:
    def __init__(self, namespace=None):
        self.namespace = namespace

    @classmethod
    def clear_all_namespaces(cls):
        pass
'''


def _entry_points_of(setup_py):
    """The literal `entry_points=` argument of the setup() call in setup_py."""
    tree = ast.parse(open(setup_py, encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setup":
            for kw in node.keywords:
                if kw.arg == "entry_points":
                    return ast.literal_eval(kw.value)
    raise RuntimeError(f"{setup_py}: no entry_points in setup()")


def _write_dist_info(site, dist, version, entry_points):
    folder = os.path.join(site, f"{dist.replace('-', '_')}-{version}.dist-info")
    os.makedirs(folder)
    with open(os.path.join(folder, "METADATA"), "w", encoding="utf-8") as f:
        f.write(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    with open(os.path.join(folder, "entry_points.txt"), "w", encoding="utf-8") as f:
        for group, items in entry_points.items():
            f.write(f"[{group}]\n")
            for item in items:
                name, target = (part.strip() for part in item.split("=", 1))
                f.write(f"{name} = {target}\n")
            f.write("\n")


def mirrors_missing(mirrors=DEFAULT_MIRRORS, extra_pins=()):
    """The mirror folders of PINS + extra_pins that are absent (empty when all are there)."""
    return [os.path.join(mirrors, pin[0], "repo") for pin in list(PINS) + list(extra_pins)
            if not os.path.isdir(os.path.join(mirrors, pin[0], "repo"))]


def load(mirrors=DEFAULT_MIRRORS, extra_pins=(), standins=None, django_settings=None):
    """Extract the pinned upstream trees, put them on sys.path, configure Django, load every signal.

    extra_pins: more (mirror folder, commit, distribution, version) trees to extract; each tree's root
    goes on sys.path (for projects whose packages sit at the root, such as event-bus-redis).
    standins: {path relative to the stand-in site folder: text} of further stand-in modules.
    django_settings: more Django settings (the event bus code reads its configuration from them).
    Returns a dict of the modules and facts the scripts use.
    """
    work = tempfile.mkdtemp(prefix="oex-upstream-")
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    site = os.path.join(work, "site")
    os.makedirs(site)
    roots = {}
    for folder, commit, dist, version in list(PINS) + list(extra_pins):
        git_dir = os.path.join(mirrors, folder, "repo")
        if not os.path.isdir(git_dir):
            sys.exit(f"missing mirror {git_dir} (a bare clone of {folder.replace('+', '/')}); see --help")
        root = os.path.join(work, folder)
        os.makedirs(root)
        archive = subprocess.run(["git", "--git-dir", git_dir, "archive", commit],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", root], input=archive, check=True)
        roots[dist] = root
        if dist in ("edx-opaque-keys", "edx-ccx-keys"):
            _write_dist_info(site, dist, version, _entry_points_of(os.path.join(root, "setup.py")))

    standin = os.path.join(site, "edx_django_utils", "cache")
    os.makedirs(standin)
    open(os.path.join(site, "edx_django_utils", "__init__.py"), "w").close()
    with open(os.path.join(standin, "__init__.py"), "w", encoding="utf-8") as f:
        f.write(_STANDIN_CACHE)

    for relative, text in (standins or {}).items():
        path = os.path.join(site, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    extra_roots = [roots[pin[2]] for pin in extra_pins]
    for path in [site] + [roots[d] for d in ("openedx-events", "fastavro", "edx-opaque-keys", "edx-ccx-keys")] + extra_roots:
        sys.path.insert(0, path)

    try:
        import attr  # noqa: F401
        import bson  # noqa: F401
        import django
        import stevedore  # noqa: F401
    except ImportError as error:
        sys.exit(f"{error}: run with Debian's /usr/bin/python3 after "
                 "`apt-get install -y python3-django python3-attr python3-stevedore python3-bson "
                 "python3-typing-extensions`")
    from django.conf import settings
    settings.configure(**{"INSTALLED_APPS": [], "USE_TZ": True, "DATABASES": {}, **(django_settings or {})})
    django.setup()

    import fastavro
    import fastavro.read
    import fastavro.write
    import openedx_events
    from openedx_events.event_bus.avro import serializer, deserializer
    from openedx_events.tooling import OpenEdxPublicSignal, load_all_signals

    for module, expected in ((fastavro.write._write, "fastavro._write_py"), (fastavro.read._read, "fastavro._read_py")):
        if module.__name__ != expected:
            sys.exit(f"fastavro loaded {module.__name__}, expected the pure-Python {expected}")
    for module, root in ((fastavro, "fastavro"), (openedx_events, "openedx-events")):
        if not module.__file__.startswith(roots[root]):
            sys.exit(f"{module.__name__} loaded from {module.__file__}, not from the pinned tree")
    if openedx_events.__version__ != "11.2.0" or fastavro.__version__ != "1.12.2":
        sys.exit(f"unexpected versions {openedx_events.__version__} / {fastavro.__version__}")

    load_all_signals()
    return {
        "work": work,
        "roots": roots,
        "fastavro": fastavro,
        "serializer": serializer,
        "deserializer": deserializer,
        "OpenEdxPublicSignal": OpenEdxPublicSignal,
        "versions": {"openedx-events": openedx_events.__version__, "fastavro": fastavro.__version__},
    }
