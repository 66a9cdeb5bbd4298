"""Callbacks (`keras.callbacks`): hooks called by `fit`, `evaluate` and `predict`."""

from kernelkit.callbacks.backup_and_restore import BackupAndRestore
from kernelkit.callbacks.callback import Callback
from kernelkit.callbacks.callback_list import CallbackList
from kernelkit.callbacks.csv_logger import CSVLogger
from kernelkit.callbacks.early_stopping import EarlyStopping
from kernelkit.callbacks.history import History
from kernelkit.callbacks.lambda_callback import LambdaCallback
from kernelkit.callbacks.learning_rate_scheduler import LearningRateScheduler
from kernelkit.callbacks.live_progress import LiveProgress
from kernelkit.callbacks.model_checkpoint import ModelCheckpoint
from kernelkit.callbacks.monitor_callback import MonitorCallback
from kernelkit.callbacks.orbax_checkpoint import OrbaxCheckpoint
from kernelkit.callbacks.progbar import Progbar
from kernelkit.callbacks.progbar_logger import ProgbarLogger
from kernelkit.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from kernelkit.callbacks.remote_monitor import RemoteMonitor
from kernelkit.callbacks.swap_ema_weights import SwapEMAWeights
from kernelkit.callbacks.tensorboard import TensorBoard
from kernelkit.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "LiveProgress",
    "ModelCheckpoint",
    "MonitorCallback",
    "OrbaxCheckpoint",
    "Progbar",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "RemoteMonitor",
    "SwapEMAWeights",
    "TensorBoard",
    "TerminateOnNaN",
]
