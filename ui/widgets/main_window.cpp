#include "ui/widgets/main_window.h"

#include <optional>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageReader>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QStackedWidget>
#include <QStatusBar>
#include <QThread>
#include <QToolBar>
#include <QUndoView>
#include <QVBoxLayout>

#include "core/io/image_io.h"
#include "core/model/classifier_probe.h"
#include "core/model/model_install.h"
#include "core/model/model_store.h"
#include "core/params/dream_chain.h"
#include "core/params/errors.h"
#include "core/render/print_plan.h"
#include "ui/model/batch_job.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/presets.h"
#include "ui/model/print_job.h"
#include "ui/model/print_preview.h"
#include "ui/model/sequence_runner.h"
#include "ui/model/session_autosave.h"
#include "ui/widgets/batch_dialog.h"
#include "ui/widgets/canvas.h"
#include "ui/widgets/explorer_panel.h"
#include "ui/widgets/export_dialog.h"
#include "ui/widgets/file_task.h"
#include "ui/widgets/history_delegate.h"
#include "ui/widgets/job_progress.h"
#include "ui/widgets/message_bar.h"
#include "ui/widgets/mode_panel.h"
#include "ui/widgets/motion_panel.h"
#include "ui/widgets/parameter_panel.h"
#include "ui/widgets/preset_manager.h"
#include "ui/widgets/print_dialog.h"
#include "ui/widgets/session_restore.h"
#include "ui/widgets/shortcut_overview.h"
#include "ui/widgets/show_in_folder.h"
#include "ui/widgets/style_panel.h"
#include "ui/widgets/style_strip.h"
#include "ui/widgets/vertical_scroll_area.h"

namespace inceptionist::ui {

namespace {

constexpr int kDebounceMs = 150;  // a slider drag sends one dream per pause, not one per pixel
constexpr int kMaxRecent = 10;
constexpr int kMaxDocumentSide = 4096;  // long side of the image the window keeps in memory
constexpr double kExportDpi = 300;      // resolution stored in exports until a print sets another
const char kImageFilter[] = "Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.ppm *.pgm)";

QIcon themeIcon(const char* name) {
    return QIcon::fromTheme(name, QIcon(QString(":/icons/toolbar/%1.svg").arg(name)));
}

// The models folder the person chose in an earlier session, while it still exists.
QString chosenModelsFolder() {
    const QString dir = QSettings().value("models/folder").toString();
    return !dir.isEmpty() && QFileInfo(dir).isDir() ? dir : QString();
}

}  // namespace

QString MainWindow::sampleImagePath() {
    const QString installed =
        QCoreApplication::applicationDirPath() + "/../share/inceptionist/sample-dog.jpg";
    if (QFileInfo::exists(installed)) return QFileInfo(installed).canonicalFilePath();
#ifdef INCEPTIONIST_SOURCE_SAMPLE
    if (QFileInfo::exists(INCEPTIONIST_SOURCE_SAMPLE)) return INCEPTIONIST_SOURCE_SAMPLE;
#endif
    return {};
}

MainWindow::MainWindow(const QString& modelsDir, QWidget* parent)
    : QMainWindow(parent), modelsDir_(modelsDir.isEmpty() ? chosenModelsFolder() : modelsDir) {
    setWindowIcon(QIcon(":/icons/inceptionist.svg"));
    controller_ = new DreamController(modelsDir_, this);
    canvas_ = new Canvas(this);
    messages_ = new MessageBar(this);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(messages_);
    layout->addWidget(canvas_, 1);
    setCentralWidget(central);

    panel_ = new ParameterPanel(this);
    std::vector<ModelProblem> modelProblems;
    models_ = availableModels(modelsDirectory(modelsDir_.toStdString()), &modelProblems);
    findClassifierHeads(models_, modelsDirectory(modelsDir_.toStdString()));
    panel_->setModels(models_);
    const QString skipped =
        modelProblems.empty()
            ? QString()
            : tr("A broken model was skipped: %1%2")
                  .arg(QString::fromStdString(modelProblems.front().problem),
                       modelProblems.size() > 1
                           ? tr(" (and %1 more)").arg(int(modelProblems.size()) - 1)
                           : QString());
    if (!skipped.isEmpty()) messages_->showError(skipped);

    createActions();
    createDocks();
    createStatusBar();
    createMaskTool();

    if (models_.empty()) offerModelFolder(skipped);

    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &MainWindow::startDream);

    connect(panel_, &ParameterPanel::edited, this,
            [this](const DreamParams& p, ParamField field) { doc_.editParams(p, field); });
    connect(&doc_, &Document::paramsChanged, this, [this] {
        panel_->setParams(doc_.params());
        showActivePreset();
        scheduleDream();
    });
    // Releasing a slider ends the change: its dream starts at once rather than a pause later.
    for (QSlider* slider : modePanel_->findChildren<QSlider*>())
        connect(slider, &QSlider::sliderReleased, this, [this] {
            if (debounce_.isActive()) startDream();
        });
    // So does pressing Dream or Style.
    connect(modePanel_, &ModePanel::modeSwitched, this, [this] {
        if (debounce_.isActive()) startDream();
    });
    connect(&doc_, &Document::imageChanged, this, [this] {
        const QString name =
            doc_.sourcePath().isEmpty() ? tr("Untitled") : QFileInfo(doc_.sourcePath()).fileName();
        setWindowTitle(tr("%1 — Inceptionist").arg(name));
        if (doc_.lastImageChange() == Document::ImageChange::NewImage) {
            // A dream of the image before must not land on this one.
            controller_->cancel();
            showDocumentImage();
            scheduleDream();
        } else {
            // A keep keeps, and undo or redo brings back what was there: nothing to dream.
            debounce_.stop();
            controller_->cancel();
            showDocumentImage();
            const QImage restored = doc_.dream();
            if (!restored.isNull()) {
                dream_ = restored;
                dreamDone_ = true;
                dreamParams_ = doc_.dreamParams();
                canvas_->setAfter(restored);
                keepAction_->setEnabled(true);
            }
            stage_->setText(doc_.lastImageChange() == Document::ImageChange::Kept ? tr("Dream kept")
                                                                                  : QString());
            eta_->clear();
        }
    });
    connect(canvas_, &Canvas::fileDropped, this, [this](const QString& path) {
        if (isModelFile(path))
            addModelFile(path);
        else
            openFile(path);
    });
    connect(canvas_, &Canvas::imageDropped, this, [this](const QImage& img) {
        replaceImage(img.convertToFormat(QImage::Format_RGBX64), {}, tr("Drop image"));
    });

    connect(controller_, &DreamController::previewReady, this, [this](const QImage& img) {
        dream_ = img;
        dreamDone_ = false;
        doc_.setDream({}, {});
        canvas_->setAfter(img);
    });
    connect(controller_, &DreamController::progressChanged, this,
            [this](const DreamProgress& r, double fraction, double secondsLeft) {
                const bool style = controller_->latestParams().mode == "style";
                stage_->setText(
                    (style ? tr("Stage %1/%2 · iteration %3/%4") : tr("Octave %1/%2 · step %3/%4"))
                        .arg(r.octave + 1)
                        .arg(r.octaves)
                        .arg(r.step)
                        .arg(r.steps));
                progress_->setValue(static_cast<int>(fraction * 1000));
                eta_->setText(formatSecondsLeft(secondsLeft));
            });
    connect(controller_, &DreamController::dreamFinished, this,
            [this](const QImage& img, const DreamParams& used) {
                dream_ = img;
                dreamDone_ = true;
                dreamParams_ = used;
                lastFinished_ = {img, used, submittedSourceKey_};
                doc_.setDream(img, used);
                canvas_->setAfter(img);
                keepAction_->setEnabled(true);
                stage_->setText(used.mode == "style" ? tr("Style ready") : tr("Dream ready"));
                progress_->setValue(1000);
                eta_->clear();
            });
    connect(controller_, &DreamController::dreamFailed, this, [this](const QString& message) {
        messages_->showError(message);
        stage_->setText(tr("Dream failed"));
        eta_->clear();
    });
    connect(controller_, &DreamController::dreamCancelled, this, [this] {
        stage_->setText(tr("Stopped"));
        eta_->clear();
    });
    connect(controller_, &DreamController::busyChanged, this, [this](bool busy) {
        stopAction_->setEnabled(busy);
        progress_->setVisible(busy);
    });
    connect(controller_, &DreamController::modelReady, this,
            [this](const QString& name, const QString& device) {
                device_->setText(tr("%1 on %2").arg(name, device.toUpper()));
            });

    restoreSettings();

    autosave_ = new SessionAutosave(&doc_, {}, this);
    connect(autosave_, &SessionAutosave::saveFailed, messages_, &MessageBar::showError);
    connect(motion_, &MotionPanel::settingsChanged, this,
            [this] { autosave_->setMotion(motion_->settings().toJson()); });
}

MainWindow::~MainWindow() {
    // Closing hides the docks after this object's members are gone: nothing may reach them then.
    if (motionDock_) disconnect(motionDock_, nullptr, this, nullptr);
    if (explorerDock_) disconnect(explorerDock_, nullptr, this, nullptr);
    delete autosave_;  // before the document it watches; a clean end removes the session
}

bool MainWindow::hasRestorableSession() const { return autosave_->hasLeftBehind(); }

bool MainWindow::offerSessionRestore() {
    if (!hasRestorableSession()) return false;
    const auto answer = QMessageBox::question(
        this, tr("Restore your last session?"),
        tr("Inceptionist did not close properly last time. Restore the image, the dreams you "
           "kept and the settings as they were?"),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
    if (answer == QMessageBox::Yes) {
        const SessionRestore outcome = restoreLeftBehindSession();
        if (outcome == SessionRestore::Restored) return true;
        if (outcome == SessionRestore::Cancelled) return false;  // offered again next time
    }
    autosave_->dropLeftBehind();
    return false;
}

bool MainWindow::restoreSession() { return restoreLeftBehindSession() == SessionRestore::Restored; }

SessionRestore MainWindow::restoreLeftBehindSession() {
    // The images are decoded off the GUI thread; the window answers meanwhile.
    const RestoredSession r = restoreSessionOffThread(this, doc_, autosave_->folder());
    if (r.outcome == SessionRestore::Cancelled) {
        // Nothing changed, on disk either: this window must not save over the session, so it
        // does not autosave until the next start, which offers the session again.
        messages_->showError(
            tr("The last session was not restored: %1. It is kept as it was and offered again at "
               "the next start; until then this window does not autosave.")
                .arg(r.failure));
        return r.outcome;
    }
    const auto failed = [this](const QString& why) {
        messages_->showError(tr("The last session could not be restored: %1").arg(why));
        return SessionRestore::Failed;
    };
    if (r.outcome == SessionRestore::Failed) return failed(r.failure);
    try {
        if (!r.motion.is_null())
            motion_->setSettings(ClipSettings::fromJson(r.motion, "the saved session's motion"));
        autosave_->dropLeftBehind();  // this run's session goes on from here
        const QString when = QLocale().toString(r.savedAt.toLocalTime(), QLocale::ShortFormat);
        if (r.historyLost.isEmpty())
            messages_->showNotice(tr("Restored the session saved %1.").arg(when));
        else
            messages_->showError(tr("Restored the session saved %1, without its undo history: %2")
                                     .arg(when, r.historyLost));
        return SessionRestore::Restored;
    } catch (const std::exception& e) {
        return failed(QString::fromStdString(describeFailure(e)));
    }
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, [this] {
        const QString f =
            QFileDialog::getOpenFileName(this, tr("Open a photo"), lastFolder(), tr(kImageFilter));
        if (!f.isEmpty()) openFile(f);
    });
    open->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("Add &Model…"), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Add a model"), lastFolder(),
                                                       tr("Models (*.onnx *.h5)"));
        if (!f.isEmpty()) addModelFile(f);
    });
    QAction* paste = file->addAction(tr("&Paste Image"), this, &MainWindow::pasteImage);
    paste->setShortcut(QKeySequence::Paste);
    file->addSeparator();
    QAction* print = file->addAction(tr("Render &Print…"), this, &MainWindow::renderPrintDialog);
    print->setShortcut(QKeySequence::Print);
    print->setToolTip(tr("Render the dream at print size, with detail added at full resolution"));
    QAction* saveAction = file->addAction(tr("&Save"), this, &MainWindow::save);
    saveAction->setShortcut(QKeySequence::Save);
    QAction* exportAction = file->addAction(tr("&Export As…"), this, &MainWindow::exportAs);
    // Spelt out: the standard SaveAs key is empty on a bare X11 session. The first is the one
    // the menu shows.
    exportAction->setShortcuts({QKeySequence(tr("Ctrl+Shift+S")), QKeySequence(tr("Ctrl+E"))});
    exportAction->setObjectName("exportAction");
    QAction* batch = file->addAction(tr("&Batch Dream Folder…"), this, &MainWindow::batchDialog);
    batch->setShortcut(QKeySequence(tr("Ctrl+Shift+B")));
    batch->setToolTip(tr("Dream every photo of a folder with the current settings"));
    batch->setObjectName("batchAction");
    file->addSeparator();
    file->addAction(tr("Choose &Models Folder…"), this, &MainWindow::chooseModelFolder)
        ->setToolTip(tr("The folder that holds the models, one folder each"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = doc_.undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setProperty("overviewName", tr("Undo"));
    QAction* redo = doc_.undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence::Redo, QKeySequence(tr("Ctrl+Y"))});
    redo->setProperty("overviewName", tr("Redo"));
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* dreamMenu = menuBar()->addMenu(tr("&Dream"));
    QAction* dreamNow = dreamMenu->addAction(tr("&Dream Now"), this, &MainWindow::startDream);
    dreamNow->setShortcuts({QKeySequence(tr("Ctrl+Return")), QKeySequence(Qt::Key_F5)});
    dreamNow->setToolTip(tr("Dream with the current settings (Ctrl+Return)"));
    stopAction_ = dreamMenu->addAction(tr("&Stop"), this, &MainWindow::stopDream);
    stopAction_->setShortcut(QKeySequence(Qt::Key_Escape));
    stopAction_->setEnabled(false);
    stopAction_->setObjectName("stopAction");
    keepAction_ = dreamMenu->addAction(tr("&Keep Dream"), this, &MainWindow::keepDream);
    keepAction_->setShortcut(QKeySequence(tr("Ctrl+K")));
    keepAction_->setToolTip(
        tr("Make this dream the new image, so the next dream builds on it (Ctrl+K)"));
    keepAction_->setEnabled(false);
    keepAction_->setObjectName("keepAction");
    liveAction_ = dreamMenu->addAction(tr("&Live Mode"));
    liveAction_->setCheckable(true);
    liveAction_->setChecked(live_);
    liveAction_->setShortcut(QKeySequence(tr("Ctrl+L")));
    liveAction_->setToolTip(tr("Dream again on every change (Ctrl+L); off: dream only when asked"));
    connect(liveAction_, &QAction::toggled, this, &MainWindow::setLiveMode);
    presetMenu_ = menuBar()->addMenu(tr("&Presets"));

    QMenu* view = viewMenu_ = menuBar()->addMenu(tr("&View"));
    QAction* zoomIn = view->addAction(tr("Zoom &In"), canvas_, &Canvas::zoomIn);
    zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(tr("Ctrl+="))});
    QAction* zoomOut = view->addAction(tr("Zoom &Out"), canvas_, &Canvas::zoomOut);
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    QAction* fit = view->addAction(tr("&Fit to Window"), canvas_, &Canvas::fitToWindow);
    fit->setShortcut(QKeySequence(tr("Ctrl+0")));
    QAction* actual = view->addAction(tr("&Actual Pixels (100%)"), canvas_, &Canvas::actualSize);
    actual->setShortcut(QKeySequence(tr("Ctrl+1")));
    QAction* split = view->addAction(tr("&Before/After Split"));
    split->setCheckable(true);
    split->setShortcut(QKeySequence(tr("Ctrl+D")));
    split->setToolTip(
        tr("Show the photo left of a line you can drag, the dream right of it. Hold B to see "
           "the whole photo."));
    split->setObjectName("splitAction");
    connect(split, &QAction::toggled, canvas_, &Canvas::setSplitView);
    view->addSeparator();
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence(tr("Ctrl+/")));
    keys->setObjectName("shortcutsAction");
    help->addAction(tr("&About Inceptionist"), this, &MainWindow::about);

    // Icons from the desktop's theme, else the bundled ones; icons only, so no button moves
    // when the undo text changes, and the bar fits a 1024 px wide window.
    const std::pair<QAction*, const char*> icons[] = {
        {open, "document-open"},
        {exportAction, "document-save-as"},
        {undo, "edit-undo"},
        {redo, "edit-redo"},
        {dreamNow, "media-playback-start"},
        {stopAction_, "process-stop"},
        {keepAction_, "bookmark-new"},
        {liveAction_, "view-refresh"},
        {split, "view-split-left-right"},
        {fit, "zoom-fit-best"},
        {actual, "zoom-original"},
    };
    for (const auto& [action, name] : icons) action->setIcon(themeIcon(name));
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName("mainToolBar");
    bar->setToolButtonStyle(Qt::ToolButtonIconOnly);
    bar->setIconSize(QSize(24, 24));
    bar->addAction(open);
    bar->addAction(exportAction);
    bar->addSeparator();
    bar->addAction(undo);
    bar->addAction(redo);
    bar->addSeparator();
    bar->addAction(dreamNow);
    bar->addAction(stopAction_);
    bar->addAction(keepAction_);
    bar->addAction(liveAction_);
    bar->addSeparator();
    bar->addAction(split);
    bar->addAction(fit);
    bar->addAction(actual);
    view->addAction(bar->toggleViewAction());

    rebuildPresetMenu();
}

void MainWindow::createDocks() {
    auto* params = new QDockWidget(tr("Dream"), this);
    params->setObjectName("parametersDock");
    // The sliders scroll; Keep and Stop stay below them, always in view.
    auto* dreamColumn = new QWidget(params);
    auto* dreamLayout = new QVBoxLayout(dreamColumn);
    dreamLayout->setContentsMargins(0, 0, 0, 0);
    // Up and down only: the dock is as wide as the sliders need.
    auto* scroll = new VerticalScrollArea(dreamColumn);
    scroll->setObjectName("dreamScroll");
    scroll->setFrameShape(QFrame::NoFrame);
    auto* holder = new QWidget(scroll);
    auto* column = new QVBoxLayout(holder);
    modePanel_ = new ModePanel(panel_, &doc_, holder);  // Dream | Style over the panels
    column->addWidget(modePanel_);
    connect(modePanel_->stylePanel(), &StylePanel::message, messages_, &MessageBar::showError);
    column->addStretch(1);
    scroll->setWidget(holder);
    dreamLayout->addWidget(scroll, 1);
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(9, 4, 9, 6);
    for (QAction* a : {keepAction_, stopAction_}) {
        auto* b = new QPushButton(a->text().remove('&'), dreamColumn);
        b->setObjectName(a->objectName() + "Button");
        b->setIcon(a->icon());
        b->setToolTip(a->toolTip());
        connect(b, &QPushButton::clicked, a, &QAction::trigger);
        connect(a, &QAction::changed, b, [a, b] { b->setEnabled(a->isEnabled()); });
        b->setEnabled(a->isEnabled());
        buttons->addWidget(b);
    }
    dreamLayout->addLayout(buttons);
    params->setWidget(dreamColumn);
    // The Dream and History docks keep the window's whole height; the explorer sits under the
    // canvas instead of under them.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, params);

    auto* history = new QDockWidget(tr("History"), this);
    history->setObjectName("historyDock");
    auto* undoView = new QUndoView(doc_.undoStack(), history);
    undoView->setEmptyLabel(tr("Start"));  // the state before the first step
    undoView->setItemDelegate(new HistoryDelegate(doc_.undoStack(), undoView));
    history->setWidget(undoView);
    addDockWidget(Qt::RightDockWidgetArea, history);

    explorerDock_ = new QDockWidget(tr("Explorer"), this);
    explorerDock_->setObjectName("explorerDock");
    // In Style mode the dock shows the style strip instead of the layer and channel grids.
    auto* explorers = new QStackedWidget(explorerDock_);
    explorer_ = new ExplorerPanel(controller_, &doc_, models_, explorers);
    styleStrip_ = new StyleStrip(controller_, &doc_, explorers);
    explorers->addWidget(explorer_);
    explorers->addWidget(styleStrip_);
    explorerDock_->setWidget(explorers);
    addDockWidget(Qt::BottomDockWidgetArea, explorerDock_);
    explorerDock_->hide();
    connect(explorerDock_, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        explorerShown_ = visible;
        showExplorerForMode();
    });
    connect(modePanel_, &ModePanel::styleModeChanged, this, &MainWindow::showExplorerForMode);
    connect(explorer_, &ExplorerPanel::layerChosen, this, [this](const QString& layer) {
        DreamParams p = doc_.params();
        p.layers = {{layer.toStdString(), 1.0, {}}};
        doc_.editParams(p, ParamField::Layer);
    });
    connect(explorer_, &ExplorerPanel::channelChosen, this,
            [this](const QString& layer, int channel) {
                DreamParams p = doc_.params();
                p.layers = {{layer.toStdString(), 1.0, {channel}}};
                doc_.editParams(p, ParamField::Channel);
            });
    connect(explorer_, &ExplorerPanel::classChosen, this, [this](const QString& cls) {
        DreamParams p = doc_.params();
        p.mode = "class";
        p.classes = {{cls.toStdString(), 1.0}};
        doc_.editParams(p, fieldOf(ParamId::Classes));
    });
    connect(explorer_, &ExplorerPanel::seedChosen, this, [this](quint64 seed) {
        DreamParams p = doc_.params();
        p.seed = seed;
        doc_.editParamsAs(p, ParamField::Everything, tr("Seed %1 from the variations").arg(seed));
    });
    connect(explorer_, &ExplorerPanel::strengthChosen, this, [this](double stepSize, int steps) {
        DreamParams p = doc_.params();
        p.stepSize = stepSize;
        p.steps = steps;
        // Both at once, as one undo step.
        doc_.editParamsAs(
            p, ParamField::Everything,
            tr("Step size %1 × %2 steps from the variations").arg(stepSize).arg(steps));
    });
    connect(explorer_, &ExplorerPanel::compareProgress, this, [this](double fraction) {
        stage_->setText(tr("Dreaming A and B for the comparison…"));
        progress_->setVisible(true);
        progress_->setValue(static_cast<int>(fraction * 1000));
    });
    connect(explorer_, &ExplorerPanel::compareReady, this,
            [this](const QImage& a, const QImage& b) {
                auto* split = findChild<QAction*>("splitAction");
                if (!comparing_) splitBeforeCompare_ = split && split->isChecked();
                comparing_ = true;
                canvas_->setImages(b, a);
                canvas_->setSplitLabels(tr("A"), tr("B"));
                if (split) split->setChecked(true);
                stage_->setText(tr("A | B: A left of the line, B right"));
                progress_->setVisible(controller_->busy());
            });
    connect(explorer_, &ExplorerPanel::compareEnded, this, [this] {
        // Back to the person's own view: their split setting, the labels, no stale text.
        if (auto* split = findChild<QAction*>("splitAction"); split && comparing_)
            split->setChecked(splitBeforeCompare_);
        comparing_ = false;
        canvas_->setSplitLabels(tr("before"), tr("after"));
        canvas_->setImages(dream_.isNull() ? doc_.image() : dream_, doc_.image());
        canvas_->setPhoto(doc_.lineage().photo);
        stage_->clear();
        progress_->setVisible(controller_->busy());
    });
    connect(explorer_, &ExplorerPanel::message, messages_, &MessageBar::showError);

    viewMenu_->addAction(params->toggleViewAction());
    viewMenu_->addAction(history->toggleViewAction());
    QAction* explore = explorerDock_->toggleViewAction();
    explore->setText(tr("&Explorer"));
    explore->setIcon(themeIcon("view-grid"));
    explore->setShortcut(QKeySequence(tr("Ctrl+Shift+X")));
    explore->setToolTip(
        tr("Small dreams of this image with every layer or channel, side by side (Ctrl+Shift+X)"));
    viewMenu_->addAction(explore);
    if (auto* bar = findChild<QToolBar*>("mainToolBar")) bar->addAction(explore);
    createMotionDock();
}

// The Motion panel and its timeline, under the canvas beside the explorer.
void MainWindow::createMotionDock() {
    motionDock_ = new QDockWidget(tr("Motion"), this);
    motionDock_->setObjectName("motionDock");
    motion_ = new MotionPanel(controller_, &doc_, motionDock_);
    motionDock_->setWidget(motion_);
    addDockWidget(Qt::BottomDockWidgetArea, motionDock_);
    tabifyDockWidget(explorerDock_, motionDock_);
    motionDock_->hide();
    connect(motion_, &MotionPanel::message, messages_, &MessageBar::showError);
    connect(motionDock_, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        motion_->setActive(visible);
        // Back to the dream when the clip's frames go out of view.
        if (!visible && !comparing_) canvas_->setAfter(dream_.isNull() ? doc_.image() : dream_);
    });
    connect(motion_, &MotionPanel::showFrame, canvas_, &Canvas::setAfter);
    connect(motion_, &MotionPanel::rendered, this,
            [this](const QString& output, const QString& note) {
                messages_->showNotice(note.isEmpty()
                                          ? tr("Wrote the clip to %1.").arg(output)
                                          : tr("Wrote the clip to %1. %2").arg(output, note));
            });
    QAction* show = motionDock_->toggleViewAction();
    show->setText(tr("&Motion"));
    show->setShortcut(QKeySequence(tr("Ctrl+Shift+M")));
    show->setToolTip(
        tr("Zoom journeys and dreamed videos: keyframes on a timeline, a live preview of the "
           "first frames, and the render (Ctrl+Shift+M)"));
    viewMenu_->addAction(show);
}

void MainWindow::showExplorerForMode() {
    const bool style = modePanel_->styleMode();
    const bool visible = explorerShown_;
    auto* explorers = static_cast<QStackedWidget*>(explorerDock_->widget());
    explorers->setCurrentWidget(style ? static_cast<QWidget*>(styleStrip_) : explorer_);
    // One of them queues work at a time (they share the worker's background queue): the other
    // stops first, so its stop does not drop the new one's work.
    if (style) {
        explorer_->setActive(false);
        styleStrip_->setActive(visible);
    } else {
        styleStrip_->setActive(false);
        explorer_->setActive(visible);
    }
}

void MainWindow::createStatusBar() {
    stage_ = new QLabel(tr("Ready"), this);
    stage_->setObjectName("stageLabel");
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setMaximumWidth(220);
    progress_->setVisible(false);
    eta_ = new QLabel(this);
    device_ = new QLabel(this);
    presetLabel_ = new QLabel(this);
    presetLabel_->setObjectName("presetLabel");
    statusBar()->addWidget(stage_);
    statusBar()->addWidget(progress_);
    statusBar()->addWidget(eta_);
    statusBar()->addPermanentWidget(presetLabel_);
    statusBar()->addPermanentWidget(device_);
}

void MainWindow::restoreSettings() {
    QSettings s;
    restoreGeometry(s.value("window/geometry").toByteArray());
    restoreState(s.value("window/state").toByteArray());
    recent_ = s.value("files/recent").toStringList();
    rebuildRecentMenu();
    live_ = s.value("dream/live", true).toBool();
    liveAction_->setChecked(live_);
    DreamParams params;
    const QString saved = s.value("dream/params").toString();
    if (!saved.isEmpty()) {
        try {
            params = DreamParams::fromJson(nlohmann::json::parse(saved.toStdString()));
        } catch (const std::exception&) {
            // Parameters from an older version that no longer fit: start from the defaults.
        }
    }
    const bool known =
        std::any_of(models_.begin(), models_.end(), [&](auto& m) { return m.id == params.model; });
    if (!known && !models_.empty()) params.model = models_.front().id;
    doc_.applyParams(params);
    panel_->setParams(params);
}

void MainWindow::saveSettings() {
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/state", saveState());
    s.setValue("files/recent", recent_);
    s.setValue("dream/live", live_);
    s.setValue("dream/params", QString::fromStdString(doc_.params().toJson().dump()));
}

bool MainWindow::hasUnsavedDreams() const {
    return !doc_.lineage().kept.empty() && doc_.imageKey() != exportedImageKey_;
}

void MainWindow::closeEvent(QCloseEvent* e) {
    if (fileTaskRunning()) {  // a file is being read or written: stop it, then close
        cancelFileTask();
        QTimer::singleShot(50, this, &QWidget::close);
        e->ignore();
        return;
    }
    if (hasUnsavedDreams()) {
        const auto answer = QMessageBox::question(
            this, tr("Keep your dreams?"),
            tr("The dreams you kept have not been exported. Export the image before closing?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel ||
            (answer == QMessageBox::Save && (exportAs(), hasUnsavedDreams()))) {
            e->ignore();
            return;
        }
    }
    saveSettings();
    controller_->cancel();
    e->accept();
}

QString MainWindow::lastFolder() const { return QSettings().value("files/lastFolder").toString(); }

void MainWindow::addRecent(const QString& path) {
    const QString full = QFileInfo(path).absoluteFilePath();
    recent_.removeAll(full);
    recent_.prepend(full);
    while (recent_.size() > kMaxRecent) recent_.removeLast();
    QSettings().setValue("files/recent", recent_);
    QSettings().setValue("files/lastFolder", QFileInfo(full).absolutePath());
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    for (const QString& f : recent_)
        recentMenu_->addAction(QFileInfo(f).fileName(), this, [this, f] { openFile(f); })
            ->setToolTip(f);
    recentMenu_->setEnabled(!recent_.isEmpty());
}

void MainWindow::rebuildPresetMenu() {
    presetMenu_->clear();
    for (const auto& p : builtInPresets()) {
        QAction* a = presetMenu_->addAction(p.name, this, [this, p] { applyPreset(p); });
        a->setToolTip(p.description);
        a->setStatusTip(p.description);
    }
    const auto mine = userPresets();
    if (!mine.empty()) presetMenu_->addSection(tr("My presets"));
    for (const auto& p : mine) presetMenu_->addAction(p.name, this, [this, p] { applyPreset(p); });
    // The preset the settings came from is ticked.
    for (QAction* a : presetMenu_->actions())
        if (!a->isSeparator() && !a->menu()) {
            a->setCheckable(!activePreset_.isEmpty() && a->text() == activePreset_);
            a->setChecked(a->isCheckable());
        }
    presetMenu_->addSeparator();
    presetMenu_->addAction(tr("&Save Current Settings as Preset…"), this, &MainWindow::savePreset);
    presetMenu_->addAction(tr("&Load Preset File…"), this, &MainWindow::loadPresetFile);
    presetMenu_->addAction(tr("&Manage Presets…"), this, &MainWindow::managePresets)
        ->setObjectName("managePresetsAction");
}

void MainWindow::setActivePreset(const QString& name, const DreamParams& params) {
    activePreset_ = name;
    activePresetParams_ = params;
    rebuildPresetMenu();
    showActivePreset();
}

// The status bar names the preset the settings came from, and whether they were changed since.
void MainWindow::showActivePreset() {
    if (activePreset_.isEmpty()) {
        presetLabel_->clear();
        return;
    }
    DreamParams now = doc_.params(), preset = activePresetParams_;
    now.device = preset.device;  // the device is the machine's, not the preset's
    presetLabel_->setText(now == preset ? tr("Preset: %1").arg(activePreset_)
                                        : tr("Preset: %1 (changed)").arg(activePreset_));
}

void MainWindow::managePresets() {
    auto* manager = new PresetManager(activePreset_, this);
    manager->setAttribute(Qt::WA_DeleteOnClose);
    connect(manager, &PresetManager::applyRequested, this, [this, manager](const Preset& p) {
        applyPreset(p);
        manager->setActive(activePreset_);
    });
    connect(manager, &PresetManager::presetsChanged, this, &MainWindow::rebuildPresetMenu);
    connect(manager, &PresetManager::activeRenamed, this,
            [this](const QString& name) { setActivePreset(name, activePresetParams_); });
    manager->show();
}

void MainWindow::applyPreset(const Preset& preset) {
    DreamParams p = preset.params;
    p.device = doc_.params().device;
    doc_.editParamsAs(p, ParamField::Everything, tr("Preset “%1”").arg(preset.name));
    if (!preset.motion.is_null())
        motion_->setSettings(ClipSettings::fromJson(preset.motion, preset.file.toStdString()));
    setActivePreset(preset.name, p);
    QStringList notes = preset.warnings;
    if (p.startFromNoise && !doc_.image().isNull())
        notes << tr("“%1” dreams from noise, not from your photo. Untick “Start from noise” or "
                    "open a photo to dream a photo.")
                     .arg(preset.name);
    if (!notes.isEmpty()) messages_->showNotice(notes.join('\n'));
}

// Out of memory, or a library's own error: the window says so and stays open.
void MainWindow::showFailure(const QString& subject, const std::exception& e) {
    messages_->showError(tr("%1: %2").arg(subject, QString::fromStdString(describeFailure(e))));
}

void MainWindow::savePreset() {
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save Preset"), tr("Name of the preset:"),
                                               QLineEdit::Normal, QString(), &ok);
    if (!ok || name.trimmed().isEmpty()) return;
    const QString file = userPresetFile(name);
    if (QFileInfo::exists(file) &&
        QMessageBox::question(this, tr("Save Preset"),
                              tr("A preset named “%1” exists. Replace it?").arg(name.trimmed())) !=
            QMessageBox::Yes)
        return;
    try {
        // The clip goes with the dream once it is more than the Motion panel's default.
        const bool clip = !(motion_->settings() == ClipSettings{});
        writePreset(file, name.trimmed(), doc_.params(),
                    clip ? motion_->settings().toJson() : nlohmann::json());
        // Its picture: the dream on show, else the image.
        writePresetThumbnail(file, dream_.isNull() ? doc_.image() : dream_);
        setActivePreset(name.trimmed(), doc_.params());
        statusBar()->showMessage(tr("Saved preset “%1”").arg(name), 4000);
    } catch (const Error& e) {
        messages_->showError(QString::fromUtf8(e.what()));
    } catch (const std::exception& e) {
        showFailure(name, e);
    }
}

void MainWindow::loadPresetFile() {
    const QString f =
        QFileDialog::getOpenFileName(this, tr("Load Preset"), lastFolder(), tr("Presets (*.json)"));
    if (!f.isEmpty()) loadPreset(f);
}

bool MainWindow::loadPreset(const QString& file) {
    try {
        applyPreset(readPreset(file));
        return true;
    } catch (const Error& e) {
        messages_->showError(QString::fromUtf8(e.what()));
        return false;
    } catch (const std::exception& e) {
        showFailure(file, e);
        return false;
    }
}

bool MainWindow::openFile(const QString& path) {
    if (fileTaskRunning()) {
        messages_->showNotice(
            tr("Another file is being read or written; try again when it is "
               "done."));
        return false;
    }
    try {
        // Decoded on a pool thread: a 24 MP TIFF takes seconds, and the window keeps answering.
        auto image = std::make_shared<QImage>();
        const std::string file = path.toStdString();
        runFileTask(this, tr("Opening %1…").arg(QFileInfo(path).fileName()),
                    [file, image](const CancelToken& cancel, const auto& progress) {
                        cv::Mat pixels = readImage(file);
                        progress(0.8);
                        if (cancel.cancelled())
                            throw Error(ErrorKind::Cancelled, file + ": opening was cancelled");
                        // Live dreams work far below this; a print reads the file again at full
                        // size.
                        if (std::max(pixels.cols, pixels.rows) > kMaxDocumentSide)
                            pixels = resizeLongSide(pixels, kMaxDocumentSide);
                        *image = toQImage(pixels);
                    });
        replaceImage(*image, path, tr("Open %1").arg(QFileInfo(path).fileName()));
        addRecent(path);
        // An earlier open's error is answered now; other messages (a skipped model) stay.
        if (!openError_.isEmpty() && messages_->text() == openError_) messages_->hide();
        openError_.clear();
        return true;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled) {
            statusBar()->showMessage(tr("Opening cancelled; the image is unchanged"), 5000);
            return false;
        }
        openError_ = QString::fromUtf8(e.what());
        messages_->showError(openError_);
        return false;
    } catch (const std::exception& e) {
        showFailure(path, e);
        openError_ = messages_->text();
        return false;
    }
}

void MainWindow::pasteImage() {
    const QMimeData* m = QApplication::clipboard()->mimeData();
    if (m && m->hasImage()) {
        replaceImage(qvariant_cast<QImage>(m->imageData()).convertToFormat(QImage::Format_RGBX64),
                     {}, tr("Paste image"));
    } else if (m && m->hasUrls() && !m->urls().isEmpty() && m->urls().first().isLocalFile()) {
        openFile(m->urls().first().toLocalFile());
    } else {
        messages_->showNotice(tr("The clipboard holds no image."));
    }
}

// A new picture takes the settings with it that belong to the old one, in the same undo step as
// the picture: "start from noise" goes off (a photo opened after the noise preset is the one the
// artist wants dreamt), and a mask painted over the old picture goes, since it would be stretched
// over the new one's shape and content. Undo brings back both with the old picture.
void MainWindow::replaceImage(const QImage& image, const QString& path, const QString& label) {
    DreamParams p = doc_.params();
    p.startFromNoise = false;
    p.mask.clear();
    if (p == doc_.params()) return doc_.replaceImage(image, path, label);
    const bool maskDropped = !doc_.params().mask.empty();
    doc_.undoStack()->beginMacro(label);
    doc_.editParams(p, ParamField::Everything);
    doc_.replaceImage(image, path, label);
    doc_.undoStack()->endMacro();
    // In the message bar, which stays until read: the status bar's line gives way to the dream's
    // progress at once.
    if (maskDropped)
        messages_->showNotice(tr("The mask was cleared for the new picture; Undo brings it back."));
}

void MainWindow::showDocumentImage() {
    dream_ = QImage();
    dreamDone_ = false;
    keepAction_->setEnabled(false);
    canvas_->setImages(doc_.image(), doc_.image());
    canvas_->setPhoto(doc_.lineage().photo);
}

bool MainWindow::dreamPending() const { return debounce_.isActive() || controller_->busy(); }

void MainWindow::scheduleDream() {
    if (live_) debounce_.start();
}

void MainWindow::startDream() {
    debounce_.stop();
    if (doc_.image().isNull() && !doc_.params().startFromNoise) return;
    if (doc_.params().mode == "style" && doc_.params().style.images.empty()) {
        controller_->cancel();  // a dream of Dream mode would land under Style
        stage_->setText(tr("Add a painting to paint the photo after"));
        return;
    }
    keepAction_->setEnabled(false);
    doc_.setDream({}, {});
    stage_->setText(doc_.params().mode == "style" ? tr("Painting…") : tr("Dreaming…"));
    eta_->clear();  // the last dream's figure says nothing about this one
    progress_->setValue(0);
    submittedSourceKey_ = doc_.imageKey();
    controller_->submit(doc_.params(), doc_.image());
}

void MainWindow::stopDream() {
    debounce_.stop();
    controller_->cancel();
}

void MainWindow::keepDream() {
    if (dream_.isNull() || !dreamDone_) return;
    doc_.keepDream(dream_, dreamParams_);
}

void MainWindow::setLiveMode(bool live) {
    live_ = live;
    if (liveAction_->isChecked() != live) liveAction_->setChecked(live);
    if (live) scheduleDream();
}

bool MainWindow::exportTo(const QString& path, int bits) {
    // The pixels and what made them: the newest finished dream of this image after the kept
    // ones, or the image itself (the photo, or the last kept dream after those before it).
    const Lineage& lineage = doc_.lineage();
    const bool dreamInProgress = !dream_.isNull() && !dreamDone_;
    const bool haveDream =
        !lastFinished_.image.isNull() && lastFinished_.sourceKey == doc_.imageKey();
    QImage pixels = haveDream ? lastFinished_.image : doc_.image();
    std::optional<DreamChain> madeBy;
    if (haveDream) {
        madeBy = DreamChain{lineage.kept, lastFinished_.params};
    } else if (!lineage.kept.empty()) {
        madeBy = DreamChain{{lineage.kept.begin(), lineage.kept.end() - 1}, lineage.kept.back()};
    }
    if (pixels.isNull()) {
        messages_->showNotice(tr("There is no image to export yet."));
        return false;
    }
    if (fileTaskRunning()) {
        messages_->showNotice(
            tr("Another file is being read or written; try again when it is "
               "done."));
        return false;
    }
    try {
        WriteOptions o;
        o.bitDepth = bits;
        if (madeBy) o.metadata = madeBy->toJson().dump();  // a photo alone carries none
        o.dpi = QSettings().value("print/dpi", kExportDpi).toDouble();  // as the last print
        // Encoded on a pool thread, as opening decodes: the window keeps answering.
        runFileTask(this, tr("Exporting %1…").arg(QFileInfo(path).fileName()),
                    [file = path.toStdString(), pixels, o](const CancelToken& cancel,
                                                           const auto& progress) mutable {
                        o.cancelled = [cancel] { return cancel.cancelled(); };
                        o.progress = progress;
                        writeImage(file, toMat(pixels), o);
                    });
        lastExport_ = path;
        rememberExportFolder(path);
        exportedImageKey_ = doc_.imageKey();  // what was kept up to now is in a file
        if (dreamInProgress)
            messages_->showNotice(
                haveDream ? tr("The dream in progress is not finished: %1 holds the last "
                               "finished one.")
                                .arg(QFileInfo(path).fileName())
                          : tr("The dream in progress is not finished: %1 holds the image "
                               "without it.")
                                .arg(QFileInfo(path).fileName()));
        else
            offerShowInFolder(tr("Exported %1").arg(QFileInfo(path).fileName()), path);
        statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 4000);
        return true;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled) {
            statusBar()->showMessage(tr("Export cancelled; no file was written"), 5000);
            return false;
        }
        messages_->showError(QString::fromUtf8(e.what()));
        return false;
    } catch (const std::exception& e) {
        showFailure(path, e);
        return false;
    }
}

void MainWindow::save() {
    if (lastExport_.isEmpty()) return exportAs();
    const bool deep = !lastExport_.endsWith(".jpg", Qt::CaseInsensitive) &&
                      !lastExport_.endsWith(".jpeg", Qt::CaseInsensitive);
    exportTo(lastExport_, QSettings().value("files/exportBits", deep ? 16 : 8).toInt());
}

std::unique_ptr<ExportDialog> MainWindow::exportDialog() {
    const QString base = doc_.sourcePath().isEmpty()
                             ? tr("dream")
                             : QFileInfo(doc_.sourcePath()).completeBaseName() + "-dream";
    const QImage& shown = dream_.isNull() ? doc_.image() : dream_;
    auto dialog =
        std::make_unique<ExportDialog>(this, exportFolder(), base, shown.size(), photoSize());
    dialog->selectNameFilter(
        QSettings().value("files/exportFilter", ExportDialog::filters().first()).toString());
    return dialog;
}

void MainWindow::exportAs() {
    const auto dialog = exportDialog();
    if (dialog->exec() != QDialog::Accepted || dialog->selectedFiles().isEmpty()) return;
    const QString filter = dialog->selectedNameFilter();
    QString f = dialog->selectedFiles().first();
    if (QFileInfo(f).suffix().isEmpty()) f += "." + ExportDialog::suffixOf(filter);
    const int bits = ExportDialog::bitsOf(filter);
    QSettings().setValue("files/exportFilter", filter);
    QSettings().setValue("files/exportBits", bits);
    if (dialog->chosenSize() == ExportDialog::Size::Photo)
        exportAtPhotoSize(f, bits);
    else
        exportTo(f, bits);
}

// The photo's own pixels: the file's header (EXIF rotation applied, as opening does), or the
// pasted image.
QSize MainWindow::photoSize() const {
    const Lineage& l = doc_.lineage();
    if (!l.originalImage.isNull()) return l.originalImage.size();
    if (!l.originalPath.isEmpty()) {
        QImageReader reader(l.originalPath);
        reader.setAutoTransform(true);
        const QSize s = reader.size();
        if (s.isValid())
            return (reader.transformation() & QImageIOHandler::TransformationRotate90)
                       ? s.transposed()
                       : s;
    }
    return l.photo.size();
}

bool MainWindow::exportAtPhotoSize(const QString& path, int bits) {
    const QSize photo = photoSize();
    if (!photo.isValid()) return false;
    return renderPrint(path, std::max(photo.width(), photo.height()), bits,
                       QSettings().value("print/dpi", kExportDpi).toDouble());
}

QString MainWindow::exportFolder() const {
    const QString folder = QSettings().value("files/lastExportFolder").toString();
    return !folder.isEmpty() && QFileInfo(folder).isDir() ? folder : lastFolder();
}

void MainWindow::rememberExportFolder(const QString& file) {
    QSettings().setValue("files/lastExportFolder", QFileInfo(file).absolutePath());
}

void MainWindow::renderPrintDialog() {
    if (doc_.image().isNull()) {
        messages_->showNotice(tr("Open a photo first."));
        return;
    }
    QSettings settings;
    PrintSettings initial;
    initial.longSide = settings.value("print/longSide", initial.longSide).toInt();
    initial.dpi = settings.value("print/dpi", initial.dpi).toDouble();
    initial.format = settings.value("print/format", initial.format).toString();
    initial.bits = settings.value("print/bits", initial.bits).toInt();
    const double aspect = double(doc_.image().width()) / doc_.image().height();
    initial.look = PrintLook(settings.value("print/look", int(initial.look)).toInt());
    const DreamParams live = doc_.params();
    const std::vector<DreamParams> kept = doc_.lineage().kept;
    // From the speed this session measured for these layers at several sizes; nothing is
    // promised before a dream has measured it.
    auto estimate = [live, kept, c = QPointer<DreamController>(controller_)](int w, int h,
                                                                             PrintLook look) {
        const auto plan = printPlan(kept, live, std::max(w, h), look);
        double seconds = 0, peak = 0;
        for (const DreamParams& p : plan) {
            const double f = double(p.workingSize) / std::max(w, h);
            const int pw = int(std::lround(w * f)), ph = int(std::lround(h * f));
            peak =
                std::max(peak, estimatePrint(p, pw, ph, kDefaultSecondsPerMegapixelStep).peakBytes);
            const double s = c ? c->estimateSeconds(p, pw, ph) : -1;
            seconds = (s < 0 || seconds < 0) ? -1 : seconds + s;
        }
        const double minutes = seconds / 60;
        const QString time = seconds < 0
                                 ? QObject::tr("time known after a first dream with these layers")
                             : minutes < 1 ? QObject::tr("about %1 s").arg(std::ceil(minutes * 60))
                                           : QObject::tr("about %1 min").arg(std::ceil(minutes));
        return QObject::tr("%1, up to %2 GB of memory%3")
            .arg(time)
            .arg(peak / double(1 << 30), 0, 'f', 1)
            .arg(plan.size() > 1 ? QObject::tr(" (%1 dreams)").arg(plan.size()) : QString());
    };
    PrintDialog dialog(initial, aspect, estimate, this);
    connect(&dialog, &PrintDialog::previewRequested, this,
            [this, dialog = QPointer<PrintDialog>(&dialog)](const PrintSettings& s) {
                previewPrint(s, dialog);
            });
    if (dialog.exec() != QDialog::Accepted) return;
    const PrintSettings s = dialog.settings();
    settings.setValue("print/longSide", s.longSide);
    settings.setValue("print/dpi", s.dpi);
    settings.setValue("print/format", s.format);
    settings.setValue("print/bits", s.bits);
    settings.setValue("print/look", int(s.look));
    const QString base = doc_.sourcePath().isEmpty()
                             ? tr("dream")
                             : QFileInfo(doc_.sourcePath()).completeBaseName() + "-print";
    const QString filter = s.format == "tif"   ? tr("TIFF (*.tif *.tiff)")
                           : s.format == "png" ? tr("PNG (*.png)")
                                               : tr("JPEG (*.jpg *.jpeg)");
    QString file = QFileDialog::getSaveFileName(
        this, tr("Save Print As"), exportFolder() + "/" + base + "." + s.format, filter);
    if (file.isEmpty()) return;
    if (QFileInfo(file).suffix().isEmpty()) file += "." + s.format;
    renderPrint(file, s.longSide, s.bits, s.dpi, s.jpegQuality, s.look);
}

bool MainWindow::renderPrint(const QString& path, int longSide, int bits, double dpi,
                             int jpegQuality, PrintLook look) {
    if (printJob_ && printJob_->running()) {
        messages_->showNotice(tr("A print is already being rendered."));
        return false;
    }
    try {  // a print the machine cannot hold is refused now, with the reason
        const QSize image = doc_.image().size();
        const double aspect = image.isEmpty() ? 1.0 : double(image.width()) / image.height();
        refusePrintBeyondMemory(printParams(doc_.params(), longSide),
                                aspect >= 1 ? longSide : int(std::lround(longSide * aspect)),
                                aspect >= 1 ? int(std::lround(longSide / aspect)) : longSide);
    } catch (const Error& e) {
        messages_->showError(QString::fromUtf8(e.what()));
        return false;
    }
    delete printJob_;
    PrintRequest r;
    r.originalPath = doc_.lineage().originalPath;
    r.originalImage = doc_.lineage().originalImage;
    r.kept = doc_.lineage().kept;
    r.current = doc_.params();
    r.longSide = longSide;
    r.outputPath = path;
    r.bits = bits;
    r.jpegQuality = jpegQuality;
    r.dpi = dpi;
    r.look = look;
    printJob_ = new PrintJob(r, controller_, this);
    const QPointer<QProgressDialog> progress = showJobProgress(
        this, printJob_, tr("Rendering %1…").arg(QFileInfo(path).fileName()), tr("Render Print"));
    auto done = [progress] { closeJobProgress(progress); };
    connect(printJob_, &PrintJob::finished, this, [this, done](const QString& file) {
        done();
        rememberExportFolder(file);
        offerShowInFolder(tr("Print saved to %1").arg(file), file);
    });
    connect(printJob_, &PrintJob::failed, this, [this, done](const QString& message) {
        done();
        messages_->showError(message);
    });
    connect(printJob_, &PrintJob::cancelled, this, [this, done] {
        done();
        statusBar()->showMessage(tr("Print cancelled; no file was written"), 5000);
    });
    progress->show();
    printJob_->start();
    return true;
}

// No models: the window stays usable (open, look, export) and offers to find them.
void MainWindow::offerModelFolder(const QString& detail) {
    const QString dir = QString::fromStdString(modelsDirectory(modelsDir_.toStdString()).string());
    messages_->showErrorWithAction(
        tr("No models were found in %1. Choose the folder that holds them: one folder per "
           "model, each with its manifest.json and model.json.")
                .arg(dir) +
            (detail.isEmpty() ? QString() : "\n" + detail),
        tr("Choose Models Folder…"), [this] { chooseModelFolder(); });
}

void MainWindow::chooseModelFolder() {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Choose the Models Folder"), modelsDir_.isEmpty() ? lastFolder() : modelsDir_);
    if (!dir.isEmpty()) useModelFolder(dir);
}

bool MainWindow::useModelFolder(const QString& dir) {
    std::vector<ModelProblem> problems;
    auto models = installedModels(dir.toStdString(), &problems);
    if (models.empty()) {
        messages_->showErrorWithAction(
            tr("%1 holds no models Inceptionist can use.").arg(dir) +
                (problems.empty() ? QString()
                                  : "\n" + QString::fromStdString(problems.front().problem)),
            tr("Choose Models Folder…"), [this] { chooseModelFolder(); });
        return false;
    }
    modelsDir_ = dir;
    QSettings().setValue("models/folder", dir);
    models_ = std::move(models);
    findClassifierHeads(models_, dir.toStdString());
    controller_->setModelsDir(dir);
    panel_->setModels(models_);
    if (explorer_) explorer_->setModels(models_);
    DreamParams p = doc_.params();
    const bool known =
        std::any_of(models_.begin(), models_.end(), [&](auto& m) { return m.id == p.model; });
    if (!known) p.model = models_.front().id;
    panel_->setParams(p);
    doc_.applyParams(p);
    messages_->showNotice(tr("Models from %1: %2 found.").arg(dir).arg(models_.size()));
    scheduleDream();
    return true;
}

void MainWindow::previewPrint(const PrintSettings& s, QPointer<PrintDialog> dialog) {
    const QImage screen = dream_.isNull() ? doc_.image() : dream_;
    auto job = std::make_shared<PrintPreviewSequence>(screen, doc_.params(), s.longSide, s.look);
    if (dialog) dialog->showPreviewPending();
    auto* runner = new SequenceRunner(job, controller_, this);
    auto end = [runner] { runner->deleteLater(); };
    connect(runner, &SequenceRunner::finished, this, [job, dialog, end] {
        if (dialog) dialog->showPreview(job->result());
        end();
    });
    connect(runner, &SequenceRunner::failed, this, [dialog, end](const QString& message) {
        if (dialog) dialog->showPreviewMessage(message);
        end();
    });
    connect(runner, &SequenceRunner::cancelled, this, [dialog, end] {
        if (dialog) dialog->showPreviewMessage(tr("The preview was stopped."));
        end();
    });
    // Closing the dialog stops a preview nobody will see.
    if (dialog) connect(dialog, &QObject::destroyed, runner, &SequenceRunner::cancel);
    runner->start();
}

void MainWindow::batchDialog() {
    BatchDialog dialog(doc_.params(), QSettings().value("batch/folder", lastFolder()).toString(),
                       this);
    if (dialog.exec() != QDialog::Accepted) return;
    const BatchRequest r = dialog.request();
    if (!r.photos.isEmpty())
        QSettings().setValue("batch/folder", QFileInfo(r.photos.front()).absolutePath());
    startBatch(r);
}

bool MainWindow::startBatch(const BatchRequest& request) {
    if (batch_ && batch_->running()) {
        messages_->showNotice(tr("A batch is already being dreamed."));
        return false;
    }
    if (request.photos.isEmpty()) {
        messages_->showNotice(tr("There are no photos to dream."));
        return false;
    }
    delete batch_;
    auto sequence = std::make_shared<BatchSequence>(request);
    batch_ = new SequenceRunner(sequence, controller_, this);
    const QPointer<QProgressDialog> progress = showJobProgress(
        this, batch_,
        request.photos.size() == 1 ? tr("Dreaming 1 photo…")
                                   : tr("Dreaming %1 photos…").arg(request.photos.size()),
        tr("Batch Dream"));
    auto close = [progress] { closeJobProgress(progress); };
    // What was written and what was skipped, said once the batch ends however it ends.
    auto report = [this, sequence](const QString& ending) {
        const QStringList written = sequence->written();
        QString text = ending.arg(written.size()).arg(sequence->itemCount());
        for (const auto& s : sequence->skipped())
            text += "\n" + tr("Skipped %1: %2").arg(QFileInfo(s.photo).fileName(), s.reason);
        if (written.isEmpty())
            messages_->showNotice(text);
        else
            offerShowInFolder(text, written.back());
    };
    connect(batch_, &SequenceRunner::finished, this, [close, report] {
        close();
        report(tr("Batch done: %1 of %2 photos dreamed."));
    });
    connect(batch_, &SequenceRunner::cancelled, this, [close, report] {
        close();
        report(tr("Batch stopped: %1 of %2 photos dreamed; the rest were not started."));
    });
    connect(batch_, &SequenceRunner::failed, this, [this, close](const QString& message) {
        close();
        messages_->showError(tr("The batch stopped: %1").arg(message));
    });
    progress->show();
    batch_->start();
    return true;
}

void MainWindow::offerShowInFolder(const QString& text, const QString& file) {
    messages_->showNoticeWithAction(text, tr("Show in Folder"), [this, file] {
        if (!showInFolder(file))
            messages_->showError(tr("The desktop could not open the folder of %1.").arg(file));
    });
}

void MainWindow::showShortcuts() {
    if (!shortcuts_) {
        shortcuts_ = new ShortcutOverview(menuBar(), this);
        shortcuts_->setAttribute(Qt::WA_DeleteOnClose);
    }
    shortcuts_->show();
    shortcuts_->raise();
}

void MainWindow::about() {
    QString text =
        tr("<h3>Inceptionist %1</h3><p>Interactive DeepDream: the network's dream of your photo, "
           "live.</p><h4>Models</h4>")
            .arg(QCoreApplication::applicationVersion());
    for (const auto& m : models_)
        text += tr("<p><b>%1</b>: %2<br>Source: %3<br>Licence: %4. %5</p>")
                    .arg(QString::fromStdString(m.displayName),
                         QString::fromStdString(m.description), QString::fromStdString(m.source),
                         QString::fromStdString(m.licence), QString::fromStdString(m.copyright));
    text +=
        tr("<p>Sample photo: <i>dog.jpg</i> from Debian's darknet package, © 2018 Joseph Redmon, "
           "MIT licence.</p>");
    QMessageBox::about(this, tr("About Inceptionist"), text);
}

bool MainWindow::isModelFile(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == "onnx" || suffix == "h5";
}

// Checks and copies the model on a thread of its own (a large file takes seconds to import),
// then lists it.
void MainWindow::addModelFile(const QString& path) {
    messages_->showNotice(tr("Adding the model %1…").arg(QFileInfo(path).fileName()));
    auto outcome = std::make_shared<std::pair<std::string, std::string>>();  // id, error
    const std::string file = path.toStdString();
    const auto installed = modelsDirectory(modelsDir_.toStdString());
    QThread* job = QThread::create([outcome, file, installed] {
        try {
            outcome->first = addModel(file, {}, userModelsDirectory(), installed).id;
        } catch (const std::exception& e) {
            outcome->second = describeFailure(e);
        }
    });
    connect(job, &QThread::finished, job, &QObject::deleteLater);
    connect(job, &QThread::finished, this, [this, outcome] {
        if (!outcome->second.empty()) {
            messages_->showError(QString::fromStdString(outcome->second));
            return;
        }
        models_ = availableModels(modelsDirectory(modelsDir_.toStdString()));
        findClassifierHeads(models_, modelsDirectory(modelsDir_.toStdString()));
        panel_->setModels(models_);
        if (explorer_) explorer_->setModels(models_);
        messages_->showNotice(tr("Added the model %1: choose it in the Model list.")
                                  .arg(QString::fromStdString(outcome->first)));
    });
    job->start();
}

}  // namespace inceptionist::ui
