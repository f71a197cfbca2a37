#pragma once
// The main window: canvas in the centre, parameter and history docks, menus and toolbar, and
// the status bar that reports the running dream. It connects the document, the panel and the
// dream controller; all of its work on the GUI thread is small (no network, no waiting).

#include <exception>
#include <memory>

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include "core/model/model_manifest.h"
#include "core/render/print_plan.h"
#include "ui/model/document.h"

class QLabel;
class QDockWidget;
class QProgressBar;
class QMenu;

namespace inceptionist::ui {

class Canvas;
class DreamController;
class MessageBar;
class ParameterPanel;
enum class SessionRestore;  // ui/widgets/session_restore.h
struct Preset;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `modelsDir` empty: the usual search (see core/model_store.h).
    explicit MainWindow(const QString& modelsDir = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens an image file as a new undo step; on failure shows why and changes nothing.
    bool openFile(const QString& path);
    // Applies a preset file as one undo step; on failure shows why and changes nothing. Keys it
    // does not know (from a newer version) are named in the message bar.
    bool loadPreset(const QString& file);
    // Writes the newest finished dream of the document's image (or, with none, the image
    // itself) with the chain of parameters that made those pixels embedded; bits 8 or 16. A dream
    // still in progress is not written: the message bar says what was written instead.
    bool exportTo(const QString& path, int bits);
    // Renders the dream at the photo's own size, as a print, into `path` (in the background).
    bool exportAtPhotoSize(const QString& path, int bits);
    // The photo's own size in pixels (not the working size the window dreams at).
    QSize photoSize() const;
    // The Export As dialog as it would open now.
    std::unique_ptr<class ExportDialog> exportDialog();
    void startDream();
    void stopDream();
    void keepDream();
    // Starts rendering a print of the current dream in the background; false if it could not.
    // `look`: as on screen, sharper (the default), or with detail added at full resolution.
    bool renderPrint(const QString& path, int longSide, int bits, double dpi, int jpegQuality = 95,
                     PrintLook look = PrintLook::Screen);
    // Renders a 100 % crop of the print `s` describes into `dialog`, in the background.
    void previewPrint(const struct PrintSettings& s, QPointer<class PrintDialog> dialog);
    class PrintJob* printJob() {
        return printJob_;
    }
    // Dreams a folder of photos in the background (ui/model/batch_job.h); false if it could
    // not start. batchRunner() is the batch now or last run.
    bool startBatch(const struct BatchRequest& request);
    class SequenceRunner* batchRunner() {
        return batch_;
    }
    void setLiveMode(bool live);
    // Offers the models in `dir` (and remembers the folder); false, with a message, if it
    // holds none.
    bool useModelFolder(const QString& dir);
    // Dreams were kept since the image was last exported: closing would lose them.
    bool hasUnsavedDreams() const;
    bool liveMode() const { return live_; }
    // A dream is running or about to start (live mode's pause after a change).
    bool dreamPending() const;

    Document* document() { return &doc_; }
    DreamController* controller() { return controller_; }
    Canvas* canvas() { return canvas_; }
    ParameterPanel* panel() { return panel_; }
    class ModePanel* modePanel() {
        return modePanel_;
    }
    class ExplorerPanel* explorer() {
        return explorer_;
    }
    QDockWidget* explorerDock() { return explorerDock_; }
    class MotionPanel* motionPanel() {
        return motion_;
    }
    QDockWidget* motionDock() { return motionDock_; }
    class StyleStrip* styleStrip() {
        return styleStrip_;
    }
    MessageBar* messageBar() { return messages_; }
    // The Mask tool (ui/widgets/main_window_mask.cpp): its brush, its toggle (M), its controls.
    class MaskPainter* maskPainter() {
        return maskPainter_;
    }
    QAction* maskAction() { return maskAction_; }
    class MaskPanel* maskPanel() {
        return maskPanel_;
    }
    // Clear and Invert, each one undo step.
    void clearMask();
    void invertMask();
    const QImage& dreamImage() const { return dream_; }

    // Autosave (ui/model/session_autosave.h). A session left by a run that crashed or was
    // killed: offerSessionRestore() asks the person and restores it or drops it; true if
    // restored. restoreSession() restores without asking; false (and a message) if it could not.
    // restoreLeftBehindSession() says which: a restore cancelled while its images are read
    // (ui/widgets/session_restore.h) keeps the session, for the next start.
    class SessionAutosave* autosave() {
        return autosave_;
    }
    bool hasRestorableSession() const;
    bool offerSessionRestore();
    bool restoreSession();
    SessionRestore restoreLeftBehindSession();

    // The sample photo shipped with Inceptionist, or an empty string.
    static QString sampleImagePath();

    // Adds a model file (.onnx, .h5) to the user's models in the background, as `models add`
    // does, and lists it; failures show in the message bar. Drops of such files come here.
    void addModelFile(const QString& path);
    static bool isModelFile(const QString& path);

protected:
    void closeEvent(QCloseEvent*) override;

private:
    void createActions();
    void createDocks();
    void createMotionDock();
    void createStatusBar();
    void createMaskTool();
    void syncMaskTool();
    // The explorer's grids in Dream mode, the style strip in Style mode; only one computes.
    void showExplorerForMode();
    void restoreSettings();
    void saveSettings();
    void rebuildRecentMenu();
    void rebuildPresetMenu();
    void addRecent(const QString& path);
    void scheduleDream();
    void showDocumentImage();
    void replaceImage(const QImage& image, const QString& path, const QString& label);
    void pasteImage();
    void exportAs();
    void save();
    void savePreset();
    void showFailure(const QString& subject, const std::exception& e);
    void loadPresetFile();
    void applyPreset(const Preset& preset);
    void setActivePreset(const QString& name, const DreamParams& params);
    void showActivePreset();
    void managePresets();
    void batchDialog();
    void about();
    // Help > Keyboard Shortcuts (Ctrl+/): a window of its own, left open beside the work.
    void showShortcuts();
    // A notice after a file was written, with a button that shows it in its folder.
    void offerShowInFolder(const QString& text, const QString& file);
    void offerModelFolder(const QString& detail);
    void chooseModelFolder();
    void renderPrintDialog();
    QString lastFolder() const;
    QString exportFolder() const;  // where the last export went, persisted
    void rememberExportFolder(const QString& file);

    QString modelsDir_;
    Document doc_;
    DreamController* controller_;
    Canvas* canvas_;
    ParameterPanel* panel_;
    class ModePanel* modePanel_ = nullptr;
    MessageBar* messages_;
    QString openError_;  // the message bar's text when it shows why an open failed
    class ExplorerPanel* explorer_ = nullptr;
    QDockWidget* explorerDock_ = nullptr;
    class MotionPanel* motion_ = nullptr;
    QDockWidget* motionDock_ = nullptr;
    class StyleStrip* styleStrip_ = nullptr;  // the explorer in Style mode
    bool explorerShown_ = false;              // the explorer dock is on screen
    std::vector<ModelManifest> models_;
    QTimer debounce_;
    bool live_ = true;
    QImage dream_;  // the newest preview or finished dream
    bool dreamDone_ = false;
    DreamParams dreamParams_;  // what the finished dream was made with
    // The newest finished dream and the document image it was made from (its cache key), kept
    // while a newer dream runs so an export mid-dream writes it with its own parameters.
    struct FinishedDream {
        QImage image;
        DreamParams params;
        qint64 sourceKey = 0;
    };
    FinishedDream lastFinished_;
    qint64 submittedSourceKey_ = 0;  // the document image the running dream started from
    class PrintJob* printJob_ = nullptr;
    class SequenceRunner* batch_ = nullptr;
    class SessionAutosave* autosave_ = nullptr;
    QString lastExport_;
    qint64 exportedImageKey_ = 0;  // the document image when the last export was written
    QStringList recent_;
    bool comparing_ = false;           // the canvas shows the explorer's A | B
    bool splitBeforeCompare_ = false;  // the person's split setting, restored after it

    QMenu* recentMenu_ = nullptr;
    QMenu* presetMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QAction* keepAction_ = nullptr;
    QAction* stopAction_ = nullptr;
    QAction* liveAction_ = nullptr;
    QLabel* stage_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* eta_ = nullptr;
    QLabel* device_ = nullptr;
    QLabel* presetLabel_ = nullptr;
    // The preset the settings came from (applied or saved), and its parameters.
    QString activePreset_;
    DreamParams activePresetParams_;
    QPointer<class ShortcutOverview> shortcuts_;
    class MaskPainter* maskPainter_ = nullptr;
    class MaskPanel* maskPanel_ = nullptr;
    QAction* maskAction_ = nullptr;
    std::string maskShown_;  // the parameters' mask the painter holds, as text
};

}  // namespace inceptionist::ui
