"""Notebook-native views: the summary table (text and HTML), layer graphs, live training."""

from kernelkit.display.summary import print_summary, summary_table

__all__ = ["print_summary", "summary_table"]
