"""Independent sources: which articles copy which (`copies`) and a grade per incident (`grades`)."""
