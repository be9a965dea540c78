"""Developer tools run from the repository (``python -m tools.synthetic``); not part of the
installed package. They may import anything of ``pentas_rules``; the package never imports them."""
