"""Where data lives, and writing it safely: the bundled rules and schemas (paths), atomic
writes (atomic) and the guard that refuses to write over a command's own input (pathguard).

The lowest layer beside ``errors``: it imports nothing else of the package.
"""
