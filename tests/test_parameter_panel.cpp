// The parameter panel as the parameter table lays it out: every value the schema accepts shows
// as it is (12 octaves, a seed above 2^32), sliders and spin boxes take the table's ranges and
// tooltips, and each edit names its field for the undo history.

#include <QtTest>

#include <QDoubleSpinBox>
#include <QSlider>

#include "core/params/param_table.h"
#include "tests/gui_test_support.h"
#include "ui/model/document.h"
#include "ui/model/undo_commands.h"
#include "ui/widgets/parameter_panel.h"
#include "ui/widgets/seed_spin.h"
#include "ui/widgets/slider_spin.h"

using namespace inceptionist;
using namespace inceptionist::ui;

class ParameterPanelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsValuesBeyondTheOldSliderEnds() {
        ParameterPanel panel;
        DreamParams p;
        p.octaves = 12;                        // the slider used to stop at 10
        p.seed = (uint64_t(1) << 32) + 12345;  // the seed box used to hold an int
        p.steps = 200;                         // beyond the slider's practical range
        p.stepSize = 0.0005;
        p.workingSize = 4096;
        panel.setParams(p);
        QCOMPARE(panel.octavesControl()->value(), 12.0);
        QCOMPARE(panel.octavesControl()->slider()->value(), 12);
        QCOMPARE(panel.octavesControl()->spinBox()->text(), QString("12"));
        QCOMPARE(panel.seedControl()->value(), p.seed);
        QCOMPARE(panel.seedControl()->text(), QString("4294979641"));
        QCOMPARE(panel.control(ParamId::Steps)->value(), 200.0);
        QCOMPARE(panel.control(ParamId::StepSize)->value(), 0.0005);
        QCOMPARE(panel.control(ParamId::StepSize)->spinBox()->text(), QString("0.0005"));
        QCOMPARE(panel.control(ParamId::WorkingSize)->value(), 4096.0);
        QVERIFY(panel.params() == p);
    }

    void controlsTakeTheTablesRangesAndTooltips() {
        ParameterPanel panel;
        int sliders = 0;
        for (const ParamSpec& spec : paramTable()) {
            SliderSpin* control = panel.control(spec.id);
            const bool isSlider =
                spec.widget == PanelWidget::Slider || spec.widget == PanelWidget::LogSlider;
            QCOMPARE(control != nullptr, isSlider);
            if (!control) continue;
            ++sliders;
            QCOMPARE(control->spinBox()->minimum(), spec.range->min);
            QCOMPARE(control->spinBox()->maximum(), spec.range->max);
            QCOMPARE(control->toolTip(), QString::fromUtf8(spec.tooltip));
            // The slider's ends are the table's slider range (the validation range if none).
            control->setValue(spec.panelRange().max);
            QCOMPARE(control->slider()->value(), control->slider()->maximum());
            control->setValue(spec.panelRange().min);
            QCOMPARE(control->slider()->value(), control->slider()->minimum());
        }
        QCOMPARE(sliders, 7);  // octaves, scale, steps, step size, jitter, working size, blend
        // Octaves have no narrower slider range: the slider reaches every valid value.
        QCOMPARE(panel.octavesControl()->slider()->maximum(),
                 int(paramSpec(ParamId::Octaves).range->max));
    }

    void editsReportTheirTableField() {
        ParameterPanel panel;
        panel.setParams(DreamParams());
        QSignalSpy edits(&panel, &ParameterPanel::edited);
        panel.control(ParamId::Jitter)->spinBox()->setValue(100);  // the slider ends at 64
        QCOMPARE(edits.count(), 1);
        QCOMPARE(edits.last().at(0).value<DreamParams>().jitter, 100);
        QCOMPARE(edits.last().at(1).value<ParamField>(), ParamField::Jitter);

        const uint64_t big = 18446744073709551615ull;  // the largest 64-bit seed, typed
        panel.seedControl()->selectAll();
        QTest::keyClicks(panel.seedControl(), QString::number(big));
        QTest::keyClick(panel.seedControl(), Qt::Key_Return);
        QCOMPARE(edits.count(), 2);
        QCOMPARE(edits.last().at(0).value<DreamParams>().seed, big);
        QCOMPARE(edits.last().at(1).value<ParamField>(), ParamField::Seed);
        QCOMPARE(panel.params().seed, big);
    }

    void undoNamesComeFromTheTable() {
        for (const ParamSpec& spec : paramTable())
            QCOMPARE(fieldName(fieldOf(spec.id)), QString::fromUtf8(spec.undoName));
        Document doc;
        ParameterPanel panel;
        panel.setParams(doc.params());
        connect(&panel, &ParameterPanel::edited, &doc, &Document::editParams);
        panel.octavesControl()->spinBox()->setValue(12);
        QCOMPARE(doc.params().octaves, 12);
        // Named from the table, with the old and the new value (issue 11, fault 13).
        QCOMPARE(doc.undoStack()->text(doc.undoStack()->count() - 1),
                 QString("Change octaves 4 → 12"));
    }
};

INCEPTIONIST_GUI_TEST_MAIN(ParameterPanelTest)
#include "test_parameter_panel.moc"
