"""Notebook-native views: the summary table (text and HTML), layer graphs, live training."""

from kernelkit.display.environment import display_mode, is_notebook, set_display_mode
from kernelkit.display.graph import layer_graph
from kernelkit.display.graph_dot import model_to_dot, plot_model
from kernelkit.display.run_comparison import compare
from kernelkit.display.summary import print_summary, summary_table
from kernelkit.display.summary_html import summary_html
from kernelkit.display.weights_view import weights_view

__all__ = ["compare", "display_mode", "is_notebook", "layer_graph", "model_to_dot", "plot_model",
           "print_summary", "set_display_mode", "summary_html", "summary_table",
           "weights_view"]
