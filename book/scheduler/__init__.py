"""What runs the work and keeps it, knowing nothing about books: worker processes that take jobs (`workers`), the
build cache (`cache`), and files written whole or not at all, one build per output folder at a time (`files`).
"""
