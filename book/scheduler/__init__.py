"""What runs the work and keeps it, knowing nothing about books: worker processes that take jobs (`workers`), the
build cache (`cache`), and files written whole or not at all, one build per output folder at a time (`files`).
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "Cache": "cache",
        "digest": "cache",
        "fits": "cache",
        "project_cache": "cache",
        "read_kept": "cache",
        "toolkit_digest": "cache",
        "write_kept": "cache",
        "PARTIAL": "files",
        "FolderError": "files",
        "before_replacing": "files",
        "folder_problem": "files",
        "output_folder": "files",
        "output_lock": "files",
        "sha256": "files",
        "write_atomic": "files",
        "write_text_atomic": "files",
        "Ahead": "workers",
        "Later": "workers",
        "Workers": "workers",
        "give_back_memory": "workers",
        "shared_numbers": "workers",
    },
)
